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


def chat_message_payload(message, *, for_author: bool = False) -> dict:
    """What clients see of a chat message. Content that is not visible goes out as a
    tombstone that keeps its `seq`, so clients still see no gap."""
    payload = {
        "id": message.pk,
        "seq": message.seq,
        "created": message.created_at.isoformat(),
        "client_id": message.client_id,
    }
    held_for_author = for_author and message.status == "held"
    if message.status == "visible" or held_for_author:
        payload.update(held=held_for_author)
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


def chat_message(message, *, for_author: bool = False) -> dict:
    """`chat.message` for the circle's group; `seq` rides outside the frame so a
    consumer can skip what its catch-up already sent."""
    payload = chat_message_payload(message, for_author=for_author)
    event = client_event("chat.message", {"message": payload})
    event["seq"] = message.seq
    return event


def typing(*, author: str, sender_channel: str) -> dict:
    event = client_event("typing", {"author": author})
    event["sender_channel"] = sender_channel
    return event


def presence(names: list[str]) -> dict:
    return client_event("presence", {"members": names})


def slow_mode_changed(seconds: int) -> dict:
    return client_event("slow_mode.changed", {"seconds": seconds})
