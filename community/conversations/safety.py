"""Crisis words in private messages: the author's card, and the person's safety case.

The message is delivered as written (crisis words never hold anything). Between
members, the author's words form a staff case (site staff may read that message and
its neighbours on `/moderation/messages/`). In a check-in, the member's words join
the member's case in the check-in's circle; a rise to danger while a moderator holds
that case tells staff once; a moderator's own words open nothing unless they raise
danger about themself (a case they never see, hold or close).
"""

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from community import helplines, realtime
from community.notifications.services import notification_send
from moderation.models import SafetyItem
from moderation.safety import crisis as crisis_resources
from moderation.safety.cases import case_keepers, safety_case_join
from moderation.safety.services import open_case_of, safety_case_touch
from moderation.screening.crisis import crisis_level as words_crisis_level

from . import events
from .errors import DMRefused
from .models import Conversation, DirectMessage, DirectMessageReport


def crisis_level(text: str) -> str:
    """ "danger", "concern" or "" for words in a private message: the same crisis
    net as circles."""
    return words_crisis_level(text)


def crisis_frame(
    *, level: str, posted: str, author, recipient_name="", message=None, said=""
):
    """The one crisis card as a `/ws/me/` frame, in the author's country's lines;
    `said` replaces the card's sentence (a check-in says who knows)."""
    card = crisis_resources.dm_card(
        level=level,
        posted=posted,
        recipient_name=recipient_name,
        item=f"dm:{message.pk}" if message is not None else "",
    )
    if said:
        card["said"] = said
    frame = crisis_resources.card_frame(
        card,
        country=helplines.country_of(author),
    )
    return events.crisis(
        level=frame["level"],
        posted=frame["posted"],
        text=frame["text"],
        html=frame["html"],
        item=frame["item"],
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
            # A staff case, under its alert cap: 30 refused messages tell each
            # member of staff once, not 30 times.
            safety_case_join(
                circle=None,
                person=author,
                kind=SafetyItem.Kind.NOT_OK,
                object_id=None,
                level=level,
                source=SafetyItem.Source.REFUSED,
            )
        raise


def raise_crisis_alert(*, message: DirectMessage, level: str, other) -> str:
    """Words suggesting danger: the message is delivered as written; the author gets
    the crisis card on their sockets, and the words join their case (see the module
    docstring for whose). Returns the card's sentence when it is not the private
    message's own ("" otherwise), so the page's card says the same."""
    conversation = message.conversation
    author = message.author
    said = ""  # the card's own sentence for a private message
    if conversation.kind == Conversation.Kind.CHECK_IN and conversation.circle_id:
        said = _check_in_words(message=message, level=level, other=other)
        if said is None:
            return ""  # a moderator's own words short of danger: nothing opens
    else:
        DirectMessageReport.objects.create(
            message=message, reason=DirectMessageReport.Reason.CRISIS, level=level
        )
        safety_case_join(
            circle=None,
            person=author,
            kind=SafetyItem.Kind.DM,
            object_id=message.pk,
            level=level,
            source=SafetyItem.Source.WORDS,
        )
    realtime.broadcast_on_commit(
        events.me_group(author.pk),
        crisis_frame(
            level=level,
            posted="visible",
            author=author,
            recipient_name=other.display_name,
            message=message,
            said=said,
        ),
    )
    return said


def _check_in_words(*, message, level: str, other) -> str | None:
    """A check-in's words: the member's join the member's case in the circle; the
    moderator's open a case about them only at danger. Returns what the card says
    happened (None: nothing opens)."""
    conversation = message.conversation
    author = message.author
    circle = conversation.circle
    moderator_wrote = author.pk == conversation.starter_id
    if moderator_wrote and level != "danger":
        return None
    joined = safety_case_join(
        circle=circle,
        person=author,
        kind=SafetyItem.Kind.DM,
        object_id=message.pk,
        level=level,
        source=SafetyItem.Source.WORDS,
    )
    case = joined.case
    if (
        not moderator_wrote
        and joined.rose
        and case.level == "danger"
        and case.held_at(timezone.now())
        and case.staff_told_at is None
    ):
        case.staff_told_at = timezone.now()
        case.save(update_fields=["staff_told_at"])
        report = DirectMessageReport.objects.create(
            message=message, reason=DirectMessageReport.Reason.CRISIS, level=level
        )
        for person in staff():
            if person.pk == author.pk:
                continue
            notification_send(
                recipient=person,
                kind="safety",
                text="Words in a check-in suggest someone may be in danger, while a "
                "moderator is already with them.",
                url=f"{reverse('conversations_staff:queue')}#dm-report-{report.pk}",
            )
    _, to_keepers = case_keepers(case)
    if not to_keepers:
        who = "The site's staff know"
    elif moderator_wrote:
        who = f"The other hosts and moderators of {circle.name} know"
    else:
        who = f"The hosts and moderators of {circle.name} know"
    said = (
        f"Your message was delivered: {other.display_name} can read it now. "
        f"{who} that you may need support, not what you wrote."
    )
    return said


def check_in_written(*, conversation, author) -> None:
    """A check-in message from the moderator holding the member's case keeps their
    pick-up fresh."""
    if conversation.kind == Conversation.Kind.CHECK_IN and conversation.circle_id:
        if author.pk == conversation.starter_id:
            case = open_case_of(
                circle=conversation.circle, person=conversation.recipient
            )
            safety_case_touch(case=case, actor=author)
