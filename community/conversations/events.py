"""Group names and frames of the person's own socket (`/ws/me/`).

Private-message events go to a group that only `/ws/me/` sockets join, so a circle
socket (which also joins the user group) never receives a type it has no handler
for. Notifications and `session.ended` arrive through the user group.
"""

from community.realtime import client_event, frame, user_group
from community.sockets.events import session_ended

__all__ = ["client_event", "frame", "session_ended", "user_group"]


def me_group(user_id: int) -> str:
    return f"me.{user_id}"


def message_payload(message) -> dict:
    """One message as every socket frame carries it (`dm.message`, `/ws/me/`'s
    catch-up, `dm.history`): an erased one is its tombstone, whoever asks."""
    erased = message.erased_at is not None
    return {
        "id": message.pk,
        "seq": message.seq,
        "author": message.author.display_name,
        "author_id": message.author_id,
        "body_html": message.shown_html,
        "erased": erased,
        "created": message.created_at.isoformat(),
        "client_id": "" if erased else message.client_id,
    }


def dm_message(message) -> dict:
    """`dm.message`; the id rides outside the frame so a socket can skip what its
    catch-up already sent."""
    event = client_event(
        "dm.message",
        {"conversation": message.conversation_id, "message": message_payload(message)},
    )
    event["dm_id"] = message.pk
    return event


def dm_closed(conversation, *, by_name: str) -> dict:
    return client_event("dm.closed", {"conversation": conversation.pk, "by": by_name})


def crisis(*, level: str, posted: str, text: str, html: str, item: str = "") -> dict:
    return client_event(
        "crisis",
        {"level": level, "posted": posted, "item": item, "text": text, "html": html},
    )
