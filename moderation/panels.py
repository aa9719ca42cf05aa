"""Safety pieces on the circle page: the "I'm not OK" button, the crisis card."""


def safety_panel(request, circle) -> dict:
    return {}
