"""Checking the shape of what a client sends, before any service sees it."""

MAX_ID = 2**63 - 1  # ids are bigints: a larger bound would break the query


def bound_id(frame: dict, name: str) -> int | None:
    value = frame.get(name)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 0 <= value <= MAX_ID
    ):
        raise ValueError(f"`{name}` must be a message id (a whole number).")
    return value
