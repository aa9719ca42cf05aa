"""Frames about moderated content (chat messages and posts): built by their writers
and by moderation alike, so a removal looks the same wherever it comes from."""

from community.realtime import client_event

from .models import AUTHOR_DELETED_TEXT, ContentStatus

# What other members see in place of removed words, everywhere: the real reason goes
# to the author alone, in a private notice.
REMOVED_PUBLIC_TEXT = "Removed by the circle's moderators"


def removed_text(content) -> str:
    """What others see in place of removed words: who removed them, never why."""
    return AUTHOR_DELETED_TEXT if content.removed_by_author else REMOVED_PUBLIC_TEXT


def chat_message_payload(message, *, for_author: bool = False, viewer_id=None) -> dict:
    """What clients see of a chat message. Content that is not visible goes out as a
    tombstone that keeps its `seq`, so clients still see no gap. Its author (the
    `viewer_id` of a socket, or `for_author`) still sees words held for review or
    moved out of others' view with care."""
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
        payload.update(
            author=message.author.display_name,
            author_id=message.author_id,
            body_html=message.body_html,
        )
    else:
        payload.update(
            author="",
            author_id=None,
            body_html="",
            removed=True,
            reason=removed_text(message)
            if message.status == ContentStatus.REMOVED
            else message.get_status_display(),
        )
    return payload


def chat_message(message, *, for_author: bool = False) -> dict:
    """`chat.message` for the circle's group; `seq` rides outside the frame so a
    consumer can skip what its catch-up already sent."""
    payload = chat_message_payload(message, for_author=for_author)
    event = client_event("chat.message", {"message": payload})
    event["seq"] = message.seq
    return event


def chat_removed(message, *, reason: str) -> dict:
    return client_event("chat.removed", {"id": message.pk, "reason": reason})


def chat_restored(message) -> dict:
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


def reaction_changed(*, kind: str, item_id: int, counts: dict, people: int) -> dict:
    """Totals only: who reacted is asked for separately (ignores are applied there)."""
    return client_event(
        "reaction.changed",
        {"kind": kind, "id": item_id, "counts": counts, "people": people},
    )
