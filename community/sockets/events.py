"""Channel-layer events every socket acts on, whatever its kind."""


def session_ended(*, session_key: str | None = None) -> dict:
    """Close the person's sockets of that session (all their sockets when None):
    log-out, password change, deactivation, account deletion."""
    event = {"type": "session.ended"}
    if session_key:
        event["session"] = session_key
    return event
