"""The moderated content itself: finding an item by its kind and id, changing its
status, and telling open pages about it."""

from django.http import Http404
from django.utils import timezone

from circles import content_events
from circles.models import ChatMessage, ContentStatus, Post, Thread
from community import realtime

CONTENT_MODELS = {"thread": Thread, "post": Post, "message": ChatMessage}
_RELATED = {
    "thread": ["circle", "author"],
    "post": ["thread__circle", "author"],
    "message": ["circle", "author"],
}


def content_get(kind: str, object_id):
    """The thread, post or message with its circle and author joined in, or 404."""
    model = CONTENT_MODELS.get(kind)
    if model is None:
        raise Http404("No such item.")
    try:
        return model.objects.select_related(*_RELATED[kind]).get(pk=int(object_id))
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such item.") from None


def _root_post(thread):
    return thread.posts.filter(parent=None).first()


def content_set_status(content, status: str, *, reason: str = "") -> None:
    removed = status == ContentStatus.REMOVED
    content.status = status
    content.removed_reason = reason[:500] if removed else ""
    content.removed_at = timezone.now() if removed else None
    content.save(update_fields=["status", "removed_reason", "removed_at"])
    if content.content_kind == "thread":  # the opening post follows its thread
        root = _root_post(content)
        if root is not None and root.status != status:
            content_set_status(root, status, reason=reason)


def broadcast_gone(content, reason: str) -> None:
    group = realtime.circle_group(content.content_circle.pk)
    if content.content_kind == "message":
        realtime.broadcast_on_commit(
            group, content_events.chat_removed(content, reason=reason)
        )
        return
    post = content if content.content_kind == "post" else _root_post(content)
    if post is not None:
        realtime.broadcast_on_commit(
            group, content_events.post_removed(post, reason=reason)
        )


def broadcast_back(content) -> None:
    group = realtime.circle_group(content.content_circle.pk)
    if content.content_kind == "message":
        realtime.broadcast_on_commit(group, content_events.chat_restored(content))
        return
    post = content if content.content_kind == "post" else _root_post(content)
    if post is not None:
        realtime.broadcast_on_commit(group, content_events.post_restored(post))


def broadcast_approved(content) -> None:
    """A held item became visible: it arrives on open pages as if just written."""
    group = realtime.circle_group(content.content_circle.pk)
    if content.content_kind == "message":
        realtime.broadcast_on_commit(group, content_events.chat_message(content))
    elif content.content_kind == "post":
        realtime.broadcast_on_commit(group, content_events.post_created(content))
