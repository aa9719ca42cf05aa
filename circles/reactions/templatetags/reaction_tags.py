"""`{% reaction_bar "post" post %}`: the reaction buttons of one item. Counts for a
whole thread (or a chat page) are read once per request, on the first bar."""

from django import template

from circles import permissions
from circles.models import ContentStatus, Thread

from .. import selectors

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


@register.inclusion_tag("reactions/_bar.html", takes_context=True)
def reaction_bar(context, kind: str, item):
    """Nothing on removed, held, hidden or deleted items; read-only counts on one's
    own words; for the asker of a listen-only ask, "N people heard you"."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    shown = (
        request is not None
        and user is not None
        and user.is_authenticated
        and item.status == ContentStatus.VISIBLE
        and not getattr(item, "deleted_at", None)
    )
    if not shown:
        return {"shown": False}
    circle = _circle_of(context, kind, item)
    entry = _entries(request, user, kind, item).get(item.pk) or {
        "counts": selectors.empty_counts(),
        "mine": set(),
    }
    own = item.author_id == user.pk
    heard = None
    if kind == "post" and own and item.parent_id is None:
        thread = _thread_of(context, item)
        if thread.is_ask and thread.reply_norm == Thread.ReplyNorm.LISTEN_ONLY:
            heard = selectors.people_count(kind=kind, item_id=item.pk)
    buttons = [
        {
            "value": value,
            "label": selectors.LABELS[value],
            "count": entry["counts"][value],
            "mine": value in entry["mine"],
        }
        for value in selectors.CHOICES
    ]
    return {
        "shown": True,
        "kind": kind,
        "item": item,
        "circle": circle,
        "buttons": buttons,
        "total": sum(entry["counts"].values()),
        "can_react": not own and permissions.can_post_in_circle(user, circle),
        "heard": heard,
        "next": f"/circles/{circle.slug}/threads/{item.thread_id}/#post-{item.pk}"
        if kind == "post"
        else f"{circle.get_absolute_url()}?message={item.pk}",
        "csrf_token": context.get("csrf_token"),
    }
