"""Membership events on the channel layer: sent to a person's or a circle's group."""


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
