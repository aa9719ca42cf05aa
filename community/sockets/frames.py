"""What every socket of the site does with a client's frame before looking at its
type: text, not too long, a JSON object with a text `type`. A bad frame is answered
in words and the connection stays open."""

import json
from urllib.parse import parse_qs

MAX_FRAME_CHARS = 32 * 1024  # a 4,000-character message fits many times over


class FrameError(Exception):
    """A frame that cannot be read: its error code and words for the person."""

    def __init__(self, code: str, detail: str):
        self.code, self.detail = code, detail
        super().__init__(detail)


def parse_frame(text_data: str | None) -> dict:
    if text_data is None:
        raise FrameError("invalid", "Send JSON text frames, not binary.")
    if len(text_data) > MAX_FRAME_CHARS:
        raise FrameError(
            "too_long", f"A frame can be at most {MAX_FRAME_CHARS:,} characters."
        )
    try:
        frame = json.loads(text_data)
    except (ValueError, RecursionError):
        raise FrameError("invalid", "That frame is not valid JSON.") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise FrameError("invalid", "A frame is a JSON object with a text `type`.")
    return frame


MAX_ID = 2**63 - 1  # ids are bigints: a larger bound would break the query


def error(code: str, detail: str, **extra) -> str:
    """An `error` frame: the code a script acts on and the words a person reads."""
    return json.dumps(
        {"type": "error", "code": code, "detail": detail, **extra},
        separators=(",", ":"),
    )


def id_from_text(value: str) -> int | None:
    """An id written as ASCII digits (str.isdigit() also accepts "²", which int()
    refuses), within a bigint; None for anything else."""
    if not (value.isascii() and value.isdigit() and len(value) <= 19):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def after_from_query(query_string: bytes) -> tuple[int, ...] | None:
    """`?after=` of a socket's URL. (): none given; (n,): catch up after n; None: not
    an id (answered `invalid`, the socket stays open)."""
    query = parse_qs(query_string.decode("latin-1"))
    value = (query.get("after") or [""])[0]
    if not value:
        return ()
    number = id_from_text(value)
    return None if number is None else (number,)


def bound_id(frame: dict, name: str, *, noun: str = "an id") -> int | None:
    """The id in `frame[name]` (a JSON whole number), None when absent; ValueError
    with words for the person otherwise."""
    value = frame.get(name)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 0 <= value <= MAX_ID
    ):
        raise ValueError(f"`{name}` must be {noun} (a whole number).")
    return value
