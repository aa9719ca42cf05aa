"""Safety pieces on the circle page: the "I'm not OK" button, the crisis card."""

from .crisis import crisis_text


def safety_panel(request, circle) -> dict:
    show = request.session.pop("show_crisis", False)
    return {
        "show_crisis": show,
        "not_ok_sent": request.session.pop("not_ok", False),
        "crisis_text": crisis_text() if show else "",
    }
