"""Chat pages and panel (issue 3)."""


def chat_panel(request, circle) -> dict:
    """Context for the chat panel on the circle page."""
    return {}
