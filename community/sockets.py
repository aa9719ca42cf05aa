"""What every socket of the site does with a client's frame before looking at its
type: text, not too long, a JSON object with a text `type`. A bad frame is answered
in words and the connection stays open."""

import json

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
