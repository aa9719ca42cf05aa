"""Sensitive words: what a circle's post or chat message raised (`danger`,
`concern`), read for a whole page at once, and who sees it open.

Today the level lives on the SafetyItem rows of the words (`source=words`); the
safety desk may move it to cases: change only `_items`. An item marked misread
(`MISREAD_FIELD`, set by "I'm OK, that was misread") no longer counts, so its
collapse lifts and it takes reactions again.
"""

from django.db.models import Exists, OuterRef, QuerySet

from circles.models import Post
from moderation.models import SafetyCase, SafetyItem

MISREAD_FIELD = "misread_at"  # the safety desk's field; absent today
RANK = {"danger": 2, "unsafe": 2, "concern": 1}
COLLAPSED_LEVELS = ("danger", "unsafe")
# In thread lists, search and alerts, in place of a title or words that raised a
# level, for everyone but their author and the circle's keepers.
SENSITIVE_TITLE = "A member shared something heavy"


def _items(kind: str, ids):
    items = SafetyItem.objects.filter(kind=kind, source=SafetyItem.Source.WORDS)
    if isinstance(ids, QuerySet) or ids:
        items = items.filter(object_id__in=ids)
    fields = {f.name for f in SafetyItem._meta.get_fields()}
    if MISREAD_FIELD in fields:  # the hook: a misread item lifts the collapse
        items = items.filter(**{f"{MISREAD_FIELD}__isnull": True})
    return items


def raised_exists(kind: str, ref="pk") -> Exists:
    """A subquery for querysets: did the words of the row at `ref` raise a level?"""
    return Exists(_items(kind, []).filter(object_id=OuterRef(ref)))


def sensitive_levels(kind: str, ids) -> dict[int, str]:
    """{id: gravest level} for the posts or chat messages among `ids` whose words
    raised a crisis level; one query whatever the number of ids. `ids` may be a
    queryset of ids (a whole thread's posts): asked as a subquery, so a long list
    of ids is never sent."""
    if not isinstance(ids, QuerySet):
        ids = [i for i in ids if i is not None]
        if not ids:
            return {}
    levels: dict[int, str] = {}
    for object_id, level in _items(kind, ids).values_list("object_id", "level"):
        if RANK.get(level, 0) > RANK.get(levels.get(object_id, ""), 0):
            levels[object_id] = level
    return levels


def annotate(kind: str, items: list) -> list:
    """Set `sensitive_level` on each post or chat message of a page: one query."""
    levels = sensitive_levels(kind, [item.pk for item in items])
    for item in items:
        item.sensitive_level = levels.get(item.pk, "")
    return items


def collapsed_for(level: str) -> str:
    """`danger` (also `unsafe`: words about someone hurting them) reach other
    members collapsed; "" otherwise."""
    return "danger" if level in COLLAPSED_LEVELS else ""


def reactable(level: str) -> bool:
    """Words that raised any level take no reactions ("Me too" under a plan)."""
    return not level


def sees_open(*, viewer_id, author_id: int, is_keeper: bool) -> bool:
    """The author and the circle's hosts and moderators see sensitive words open."""
    return is_keeper or (viewer_id is not None and viewer_id == author_id)


def unsafe_case_open(user) -> bool:
    """Has the person an open case that has held `unsafe`? While so, every email to
    them is discreet."""
    if user is None or not getattr(user, "pk", None):
        return False
    return SafetyCase.objects.filter(
        person_id=user.pk, resolved_at=None, levels__contains="unsafe"
    ).exists()


def quoted_title(thread) -> str:
    """A thread's title as alerts and emails quote it, or "a thread" when its
    opening words raised a crisis level (one query)."""
    opening = Post.objects.filter(thread_id=thread.pk, parent__isnull=True)
    if opening.filter(raised_exists("post")).exists():
        return "a thread"
    return f"“{thread.title}”"
