"""Crisis words in private messages: the author's card and the alert to site staff.

The message is delivered as written (crisis words never hold anything); staff may
read that message and its neighbours on `/moderation/messages/`.
"""

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.urls import reverse

from community import realtime
from community.notifications.services import notification_send
from moderation.safety import crisis as crisis_resources
from moderation.screening.crisis import crisis_level as words_crisis_level

from . import events
from .errors import DMRefused
from .models import DirectMessage, DirectMessageReport


def crisis_level(text: str) -> str:
    """ "danger", "concern" or "" for words in a private message: the same crisis
    net as circles."""
    return words_crisis_level(text)


def crisis_card_html(*, recipient_name: str) -> str:
    """What happened to the words and what happens next, then the crisis lines."""
    said = events.escaped_paragraphs(
        f"Your message was delivered: {recipient_name} can read it now. The site's "
        "staff have been told quietly, so that someone can check in with you."
    )
    return said + _lines_html()


def unsent_card_html() -> str:
    said = events.escaped_paragraphs(
        "Your message was not sent, and no one else can read it. The site's staff "
        "have been told quietly that you may need support, so that someone can "
        "check in with you."
    )
    return said + _lines_html()


def _lines_html() -> str:
    lines_html = getattr(crisis_resources, "crisis_html", None)
    if lines_html is not None:
        return lines_html()
    return events.escaped_paragraphs(crisis_resources.crisis_text())


def staff():
    return get_user_model().objects.filter(is_staff=True, is_active=True)


@contextmanager
def card_even_if_refused(*, author, body):
    """Words suggesting danger in a write refused for another reason (closed, not
    allowed, too fast): the author still gets the card, saying nothing was sent, and
    site staff are told who, without the words (nothing was stored for them)."""
    try:
        yield
    except DMRefused as refused:
        level = crisis_level(body) if isinstance(body, str) and body.strip() else ""
        refused.crisis_level = level
        if level and refused.status != 404:
            realtime.broadcast_on_commit(
                events.me_group(author.pk),
                events.crisis(
                    level=level,
                    posted="no",
                    text=crisis_resources.crisis_text(),
                    html=unsent_card_html(),
                ),
            )
            for person in staff():
                notification_send(
                    recipient=person,
                    kind="safety",
                    text=f"{author.display_name} wrote words suggesting they may be "
                    f"in danger ({level}) in a private message that was not sent. "
                    "Consider reaching out.",
                    url=reverse("conversations_staff:queue"),
                )
        raise


def raise_crisis_alert(*, message: DirectMessage, level: str, other) -> None:
    """Words suggesting danger: the message is delivered as written; the author gets
    the crisis card on their sockets and site staff an alert to read it in place."""
    alert = DirectMessageReport.objects.create(
        message=message, reason=DirectMessageReport.Reason.CRISIS, level=level
    )
    realtime.broadcast_on_commit(
        events.me_group(message.author_id),
        events.crisis(
            level=level,
            posted="visible",
            text=crisis_resources.crisis_text(),
            html=crisis_card_html(recipient_name=other.display_name),
        ),
    )
    for person in staff():
        notification_send(
            recipient=person,
            kind="safety",
            text="Words in a private message suggest someone may be in danger "
            f"({level}).",
            url=f"{reverse('conversations_staff:queue')}#dm-report-{alert.pk}",
        )
