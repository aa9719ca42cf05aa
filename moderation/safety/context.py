"""The crisis card rides the session to the next page its author sees, wherever
that is (the thread after a reply, the circle after "I'm not OK", the conversation
after a private message), and is drawn at the top of `<main>` by base.html."""

from django.conf import settings

from community import helplines
from moderation.screening.crisis import crisis_level

from .cases import alert_audience, crisis_words_unposted
from .crisis import card, card_context

SESSION_KEY = "crisis_card"
QUICK_EXIT_HELP = (
    "Leave quickly swaps this page for another site at once; pressing Shift three "
    "times does the same. Pages you visited before stay in your browser's history, "
    "and you stay logged in."
)


def crisis_card_remember(request, card: dict) -> None:
    request.session[SESSION_KEY] = card


def crisis_card(request) -> dict:
    """Context processor. The card is taken from the session only when a page
    actually draws it (base.html asks once), so a fragment fetched meanwhile does
    not swallow it. Also the "Leave quickly" link's address and help."""

    def take():
        session = getattr(request, "session", None)
        card = session.pop(SESSION_KEY, None) if session is not None else None
        if not card:
            return None
        user = getattr(request, "user", None)
        return card_context(card, country=helplines.country_of(user))

    return {
        "crisis_card": take,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "QUICK_EXIT_HELP": QUICK_EXIT_HELP,
    }


def crisis_card_after_write(
    request, *, level: str, held: bool, item: str = "", circle=None
) -> None:
    """Words suggesting danger were stored: the author's next page says where, and
    who was told (the site's staff, when they are the circle's only keeper)."""
    if level:
        audience = (
            alert_audience(circle=circle, person=request.user)
            if circle is not None
            else "moderators"
        )
        crisis_card_remember(
            request,
            card(
                level=level,
                posted="held" if held else "visible",
                item=item,
                audience=audience,
            ),
        )


def crisis_card_after_refusal(request, *, circle, text: str, refused: str) -> None:
    """A write was refused for another reason; if its words suggest danger, the
    author still sees the card (nothing was posted) and the moderators are told."""
    level = crisis_level(text or "")
    if level and request.user.is_authenticated:
        crisis_words_unposted(circle=circle, author=request.user, level=level)
        audience = alert_audience(circle=circle, person=request.user)
        crisis_card_remember(
            request,
            card(level=level, posted="no", refused=refused, audience=audience),
        )
