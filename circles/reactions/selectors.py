"""Reaction reads: counts for a page of items in one query, and who reacted."""

from django.db.models import Count, Q
from django.http import Http404

from moderation.safety.selectors import ignored_user_ids

from .. import permissions
from ..models import ChatMessage, Circle, Post
from .models import Reaction

KINDS = ("post", "message")
CHOICES = [value for value, _label in Reaction.Kind.choices]
LABELS = dict(Reaction.Kind.choices)


def item_in_circle(*, circle: Circle, kind: str, item_id) -> Post | ChatMessage:
    """The post or message `item_id` of `circle`; an id from elsewhere is missing."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise Http404("No such item.") from None
    if kind == "post":
        item = (
            Post.objects.filter(pk=item_id, thread__circle=circle)
            .select_related("thread__circle")
            .first()
        )
    elif kind == "message":
        item = (
            ChatMessage.objects.filter(pk=item_id, circle=circle)
            .select_related("circle")
            .first()
        )
    else:
        item = None
    if item is None:
        raise Http404("No such item.")
    return item


def visible_ids(*, circle: Circle, kind: str, ids, user) -> list[int]:
    """Those of `ids` that are posts or messages of `circle` every reader reads."""
    model = Post if kind == "post" else ChatMessage
    visible = permissions.filter_visible(
        model.objects.filter(pk__in=ids), user, circle=circle, public=True
    )
    return list(visible.values_list("pk", flat=True))


def _item_filter(kind: str) -> str:
    return "post_id" if kind == "post" else "message_id"


def empty_counts() -> dict:
    return {choice: 0 for choice in CHOICES}


def counts_for(*, kind: str, ids, user=None) -> dict[int, dict]:
    """{item id: {"counts": {reaction: n}, "mine": set, "people": n}}, one query."""
    column = _item_filter(kind)
    ids = list(ids)
    result = {i: {"counts": empty_counts(), "mine": set(), "people": 0} for i in ids}
    if not ids:
        return result
    signed_in = user is not None and user.is_authenticated
    mine = Q(user_id=user.pk) if signed_in else Q(pk=None)
    rows = (
        Reaction.objects.filter(**{f"{column}__in": ids})
        .values(column, "reaction")
        .annotate(n=Count("id"), mine=Count("id", filter=mine))
        .order_by()
    )
    for row in rows:
        entry = result[row[column]]
        entry["counts"][row["reaction"]] = row["n"]
        if row["mine"]:
            entry["mine"].add(row["reaction"])
    return result


def counts_in_scope(*, kind: str, scope_id: int, from_id: int, user) -> dict[int, dict]:
    """Counts for every reacted item of a thread (posts) or of a circle's chat from
    `from_id` on (messages): what one page shows, in one query."""
    column = _item_filter(kind)
    mine = Q(user_id=user.pk) if user.is_authenticated else Q(pk=None)
    if kind == "post":
        reactions = Reaction.objects.filter(post__thread_id=scope_id)
    else:
        reactions = Reaction.objects.filter(
            message__circle_id=scope_id, message_id__gte=from_id
        )
    result: dict[int, dict] = {}
    rows = (
        reactions.values(column, "reaction")
        .annotate(n=Count("id"), mine=Count("id", filter=mine))
        .order_by()
    )
    for row in rows:
        entry = result.setdefault(
            row[column], {"counts": empty_counts(), "mine": set(), "people": 0}
        )
        entry["counts"][row["reaction"]] = row["n"]
        if row["mine"]:
            entry["mine"].add(row["reaction"])
    return result


def people_count(*, kind: str, item_id: int) -> int:
    """How many people reacted to the item at all (for "N people heard you")."""
    return (
        Reaction.objects.filter(**{_item_filter(kind): item_id})
        .values("user_id")
        .distinct()
        .count()
    )


def reactors(*, kind: str, item_id: int, viewer) -> list[dict]:
    """Who reacted, per reaction, leaving out people the viewer ignores (and closed
    accounts): two queries."""
    hidden = ignored_user_ids(user=viewer)
    rows = (
        Reaction.objects.filter(**{_item_filter(kind): item_id}, user__is_active=True)
        .exclude(user_id__in=hidden)
        .values_list("reaction", "user__display_name")
        .order_by("reaction", "user__display_name")
    )
    names: dict[str, list[str]] = {choice: [] for choice in CHOICES}
    for reaction, name in rows:
        names[reaction].append(name)
    return [
        {"reaction": choice, "label": LABELS[choice], "names": names[choice]}
        for choice in CHOICES
    ]


def reactions_of(*, user) -> list[dict]:
    """The person's own reactions, for their data export: one query."""
    return [
        {
            "reaction": reaction,
            "post": post_id,
            "message": message_id,
            "created": created.isoformat(),
        }
        for reaction, post_id, message_id, created in Reaction.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("reaction", "post_id", "message_id", "created_at")
    ]
