"""Channel-layer group names and event payloads. Event types are `noun.verb`;
a consumer handles them in methods named `noun_verb`."""

import json


def circle_group(circle_id: int) -> str:
    return f"circle.{circle_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def frame(payload: dict) -> str:
    """Serialise a server-to-client frame once, not once per recipient."""
    return json.dumps(payload, separators=(",", ":"))


def client_event(event_type: str, payload: dict) -> dict:
    """A channel-layer event whose client frame is serialised once, here.

    Consumers forward `event["text"]` as it is: one json.dumps per message, not per
    recipient, and nothing a client sent is ever relayed unbuilt.
    """
    return {"type": event_type, "text": frame({"type": event_type, **payload})}


def access_revoked(circle_id: int) -> dict:
    """Sent to a user's group: close their sockets in that circle."""
    return {"type": "access.revoked", "circle": circle_id}


def members_changed(circle_id: int) -> dict:
    return {"type": "members.changed", "circle": circle_id}


def mute_changed(circle_id: int, muted_until) -> dict:
    return {
        "type": "mute.changed",
        "circle": circle_id,
        "muted_until": muted_until.isoformat() if muted_until else None,
    }


def chat_message_payload(message) -> dict:
    """What clients see of a chat message. Content that is not visible goes out as a
    tombstone that keeps its `seq`, so clients still see no gap."""
    payload = {
        "id": message.pk,
        "seq": message.seq,
        "created": message.created_at.isoformat(),
        "client_id": message.client_id,
    }
    if message.status == "visible":
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
            reason=message.get_status_display()
            if message.status != "removed"
            else (message.removed_reason or message.get_status_display()),
        )
    return payload


def post_created(post) -> dict:
    return client_event(
        "post.created",
        {"thread": post.thread_id, "id": post.pk, "parent": post.parent_id},
    )


def post_removed(post, *, reason: str) -> dict:
    return client_event(
        "post.removed", {"thread": post.thread_id, "id": post.pk, "reason": reason}
    )


def chat_removed(message, *, reason: str) -> dict:
    return client_event("chat.removed", {"id": message.pk, "reason": reason})
