"""`{% reaction_bar "post" post %}`: the reaction buttons of one item. Counts for a
whole thread (or a chat page) are read once per request, on the first bar."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from circles import permissions
from circles.models import ContentStatus, Thread, message_url, thread_url
from moderation.safety.sensitive import reactable

from .. import selectors
from ..bar import reaction_bar_html

register = template.Library()


def _entries(request, user, kind: str, item) -> dict:
    cache = getattr(request, "_reaction_counts", None)
    if cache is None:
        cache = request._reaction_counts = {}
    scope = item.thread_id if kind == "post" else item.circle_id
    key = (kind, scope)
    loaded = cache.get(key)
    if loaded is None or (kind == "message" and item.pk < loaded["from"]):
        entries = selectors.counts_in_scope(
            kind=kind, scope_id=scope, from_id=item.pk, user=user
        )
        if loaded is not None:
            entries = {**loaded["entries"], **entries}
        loaded = cache[key] = {"from": item.pk, "entries": entries}
    return loaded["entries"]


def _thread_of(context, post):
    thread = context.get("thread")
    if isinstance(thread, Thread) and thread.pk == post.thread_id:
        return thread
    return post.thread


def _circle_of(context, kind, item):
    circle = context.get("circle")
    circle_id = item.circle_id if kind == "message" else None
    if circle is not None and (circle_id is None or circle.pk == circle_id):
        return circle
    return item.content_circle


def _csrf_input(context) -> str:
    token = context.get("csrf_token")
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', str(token or "")
    )


@register.simple_tag(takes_context=True)
def reaction_bar(context, kind: str, item):
    """Nothing on removed, held, hidden or deleted items, nor on words that raised a
    crisis level (`sensitive_level`); read-only counts on one's own words; for the
    asker of a listen-only ask, "N people heard you". Drawn by `bar.py`. In a
    live chat message (`chat_live`), the bars for every reader at once."""
    if context.get("chat_live"):
        return _live_bars(context, item)
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    shown = (
        request is not None
        and user is not None
        and user.is_authenticated
        and item.status == ContentStatus.VISIBLE
        and not getattr(item, "deleted_at", None)
        and reactable(getattr(item, "sensitive_level", ""))
    )
    if not shown:
        return ""
    circle = _circle_of(context, kind, item)
    entry = _entries(request, user, kind, item).get(item.pk)
    own = item.author_id == user.pk
    heard = None
    if kind == "post" and own and item.parent_id is None:
        thread = _thread_of(context, item)
        if thread.is_ask and thread.reply_norm == Thread.ReplyNorm.LISTEN_ONLY:
            heard = selectors.people_count(kind=kind, item_id=item.pk)
    name = item.author.display_name
    return mark_safe(
        reaction_bar_html(
            kind=kind,
            item=item,
            slug=circle.slug,
            entry=entry,
            can_react=not own and permissions.can_post_in_circle(user, circle),
            csrf_input=_csrf_input(context),
            next_url=f"{thread_url(circle.slug, item.thread_id)}#post-{item.pk}"
            if kind == "post"
            else message_url(circle.slug, item.pk),
            label=f"your {kind}"
            if own
            else f"{kind} {'by' if kind == 'post' else 'from'} {name}",
            heard=heard,
        )
    )


# A live chat message's bars, one per kind of reader (static/js/chat.js keeps the
# one that fits): its author sees counts, others react, or only see counts when they
# may not post. A new message has no reactions yet; forms get the page's token.
_LIVE_BARS = (
    ("author", False, "your message"),
    ("others reactor", True, None),
    ("others onlooker", False, None),
)


def _live_bars(context, item) -> str:
    if item.status != ContentStatus.VISIBLE or not reactable(
        getattr(item, "sensitive_level", "")
    ):
        return ""
    slug = context["circle"].slug
    name = item.author.display_name
    return mark_safe(
        "".join(
            reaction_bar_html(
                kind="message",
                item=item,
                slug=slug,
                entry=None,
                can_react=can_react,
                csrf_input="",
                next_url=message_url(slug, item.pk),
                label=label or f"message from {name}",
                only=only,
            )
            for only, can_react, label in _LIVE_BARS
        )
    )
