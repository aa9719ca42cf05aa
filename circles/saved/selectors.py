"""Saved-item reads: the item by kind and id, and my list (constant queries)."""

from django.http import Http404

from circles.models import message_url, thread_url

from .. import permissions
from ..models import ChatMessage, ContentStatus, Post, Thread
from .models import SavedItem

MODELS = {"thread": Thread, "post": Post, "message": ChatMessage}
RELATED = {
    "thread": ("circle",),
    "post": ("thread__circle",),
    "message": ("circle",),
}
EXCERPT_CHARS = 200


def item_for(*, kind: str, item_id):
    """The thread, post or message with its circle, or 404 (also for bad input)."""
    model = MODELS.get(kind)
    if model is None:
        raise Http404("No such item.")
    try:
        return model.objects.select_related(*RELATED[kind]).get(pk=int(item_id))
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such item.") from None


def saved_keys(*, user) -> set[tuple[str, int]]:
    """(kind, id) of everything `user` saved: one query, for the Save buttons."""
    if not user.is_authenticated:
        return set()
    keys = set()
    for thread_id, post_id, message_id in SavedItem.objects.filter(
        user=user
    ).values_list("thread_id", "post_id", "message_id"):
        if thread_id:
            keys.add(("thread", thread_id))
        elif post_id:
            keys.add(("post", post_id))
        else:
            keys.add(("message", message_id))
    return keys


def _available(item, circle_id: int, *, user, readable: set[int]) -> bool:
    if circle_id not in readable or getattr(item, "deleted_at", None):
        return False
    if item.status == ContentStatus.VISIBLE:
        return True
    return item.status == ContentStatus.HELD and item.author_id == user.pk


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def saved_list(*, user) -> list[dict]:
    """My saved items, newest first. What I can no longer see (left the circle,
    removed, held, hidden, deleted) carries no words at all: `available` is False."""
    readable = permissions.readable_circle_ids(user)
    rows = SavedItem.objects.filter(user=user).select_related(
        "thread__circle", "post__thread__circle", "message__circle"
    )
    result = []
    for saved in rows:
        item, kind = saved.item, saved.kind
        if kind == "thread":
            circle, thread = item.circle, item
        elif kind == "post":
            circle, thread = item.thread.circle, item.thread
        else:
            circle, thread = item.circle, None
        available = _available(item, circle.pk, user=user, readable=readable)
        if kind == "post" and thread.status != ContentStatus.VISIBLE:
            available = available and thread.author_id == user.pk
        entry = {"kind": kind, "id": item.pk, "saved_at": saved.created_at}
        entry["available"] = available
        if available:
            entry.update(
                circle=circle.name,
                url=thread_url(circle.slug, thread.pk)
                if kind == "thread"
                else f"{thread_url(circle.slug, thread.pk)}#post-{item.pk}"
                if kind == "post"
                else message_url(circle.slug, item.pk),
                title=thread.title if thread else "",
                excerpt=_excerpt(item.body) if kind != "thread" else "",
            )
        result.append(entry)
    return result


def saved_of(*, user) -> list[dict]:
    """The person's saved items as kind and id, for their data export: one query."""
    return [
        {"kind": s.kind, "id": s.item_id, "saved": s.created_at.isoformat()}
        for s in SavedItem.objects.filter(user=user).order_by("created_at", "id")
    ]
