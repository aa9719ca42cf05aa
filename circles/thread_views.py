"""Thread pages, replies and asks (issue 4)."""


def threads_panel(request, circle) -> dict:
    """Context for the threads panel (and waiting asks) on the circle page."""
    return {}
