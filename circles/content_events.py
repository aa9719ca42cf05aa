"""Frames about moderated content (chat messages and posts): built by their writers
and by moderation alike, so a removal looks the same wherever it comes from."""

from community.realtime import client_event
from moderation.safety.sensitive import annotate, collapsed_for, reactable

from .chat_message import live_html
from .models import REMOVED_PUBLIC_TEXT, ContentStatus

__all__ = ["REMOVED_PUBLIC_TEXT"]  # moderation announces removals with it


def chat_message_payload(message, *, for_author: bool = False, viewer_id=None) -> dict:
    """What clients see of a chat message. Content that is not visible goes out as a
    tombstone that keeps its `seq`, so clients still see no gap. Its author (the
    `viewer_id` of a socket, or `for_author`) still sees words held for review or
    moved out of others' view with care. `sensitive` (`danger` or "") and
    `reactable` come from the level its words raised (`sensitive_level`, set by the
    chat selectors and the writer): the client collapses a sensitive message for
    everyone but its author and keepers. `html` is the message as the page draws
    it (circles/chat_message.py), for every reader at once: the client keeps the
    controls that fit its reader. The message's author and circle must be loaded
    (a socket calls this outside the database thread)."""
    payload = {
        "id": message.pk,
        "seq": message.seq,
        "created": message.created_at.isoformat(),
        "client_id": message.client_id,
    }
    for_author = for_author or (
        message.status == ContentStatus.CARED and viewer_id == message.author_id
    )
    held_for_author = for_author and message.status in (
        ContentStatus.HELD,
        ContentStatus.CARED,
    )
    if message.status == ContentStatus.VISIBLE or held_for_author:
        payload.update(held=for_author and message.status == ContentStatus.HELD)
        if for_author and message.status == ContentStatus.CARED:
            payload.update(cared=True)
        level = getattr(message, "sensitive_level", "")
        payload.update(
            author=message.author.display_name,
            author_id=message.author_id,
            body_html=message.body_html,
            sensitive=collapsed_for(level),
            reactable=reactable(level),
        )
    else:
        payload.update(
            author="",
            author_id=None,
            body_html="",
            sensitive="",
            reactable=False,
            removed=True,
            reason=message.public_status_text,
        )
    payload["html"] = live_html(message, for_author=for_author)
    return payload


def chat_message(message, *, for_author: bool = False) -> dict:
    """`chat.message` for the circle's group; `seq` rides outside the frame so a
    consumer can skip what its catch-up already sent."""
    _with_level(message)
    payload = chat_message_payload(message, for_author=for_author)
    event = client_event("chat.message", {"message": payload})
    event["seq"] = message.seq
    return event


def chat_removed(message, *, reason: str) -> dict:
    return client_event("chat.removed", {"id": message.pk, "reason": reason})


def _with_level(message) -> None:
    """A message read afresh (a moderator restoring or approving it) learns the
    level its words raised, so it comes back collapsed and without reactions."""
    if not hasattr(message, "sensitive_level"):
        annotate("message", [message])


def chat_restored(message) -> dict:
    _with_level(message)
    return client_event("chat.restored", {"message": chat_message_payload(message)})


def post_created(post) -> dict:
    return client_event(
        "post.created",
        {"thread": post.thread_id, "id": post.pk, "parent": post.parent_id},
    )


def post_removed(post, *, reason: str) -> dict:
    return client_event(
        "post.removed", {"thread": post.thread_id, "id": post.pk, "reason": reason}
    )


def post_edited(post) -> dict:
    """`post.edited` with ids only: open pages fetch the post as rendered for their
    reader."""
    return client_event("post.edited", {"thread": post.thread_id, "id": post.pk})


def post_restored(post) -> dict:
    return client_event("post.restored", {"thread": post.thread_id, "id": post.pk})
