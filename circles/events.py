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
