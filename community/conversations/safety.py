"""Crisis words in private messages: the author's card and the alert to site staff.

The message is delivered as written (crisis words never hold anything); staff may
read that message and its neighbours on `/moderation/messages/`.
"""

from contextlib import contextmanager

from django.contrib.auth import get_user_model

from community import helplines, realtime
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


def crisis_frame(*, level: str, posted: str, author, recipient_name="", message=None):
    """The one crisis card as a `/ws/me/` frame, in the author's country's lines."""
    frame = crisis_resources.card_frame(
        crisis_resources.dm_card(
            level=level,
            posted=posted,
            recipient_name=recipient_name,
            item=f"dm:{message.pk}" if message is not None else "",
        ),
        country=helplines.country_of(author),
    )
    return events.crisis(
        level=frame["level"],
        posted=frame["posted"],
        text=frame["text"],
        html=frame["html"],
    )


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
                crisis_frame(level=level, posted="no", author=author),
            )
            for person in staff():
                notification_send(
                    recipient=person,
                    kind="safety",
                    text=f"{author.display_name} wrote words suggesting they may be "
                    f"in danger ({level}) in a private message that was not sent. "
                    "Consider reaching out.",
                    url="/moderation/messages/",
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
        crisis_frame(
            level=level,
            posted="visible",
            author=message.author,
            recipient_name=other.display_name,
            message=message,
        ),
    )
    for person in staff():
        notification_send(
            recipient=person,
            kind="safety",
            text="Words in a private message suggest someone may be in danger "
            f"({level}).",
            url=f"/moderation/messages/#dm-report-{alert.pk}",
        )
