"""The one exception of conversation writes."""


class DMRefused(Exception):
    """A refused write, with the socket's error code, the HTTP status and words."""

    def __init__(self, code: str, detail: str, *, status: int = 403):
        self.code, self.detail, self.status = code, detail, status
        self.crisis_level = ""  # words suggesting danger: the card shows anyway
        self.crisis_said = ""  # the card's sentence when not a private message's own
        super().__init__(detail)
