"""Crisis words in private messages: the author's card, and the person's safety case.

The message is delivered as written (crisis words never hold anything). Between
members, the author's words form a staff case (site staff may read that message and
its neighbours on `/moderation/messages/`). In a check-in, the member's words, sent
or refused, join the member's case in the check-in's circle (a check-in that site
staff opened from a staff case has no circle: her staff case); a rise to danger while
a moderator holds that case tells staff once; a moderator's own words open nothing
unless they raise danger about themself (a case they never see, hold or close).
"""

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from community import helplines, realtime
from community.notifications.services import notification_send
from moderation.models import SafetyItem
from moderation.safety import crisis as crisis_resources
from moderation.safety.cases import case_keepers, queue_url, safety_case_join
from moderation.safety.services import open_case_of, safety_case_touch
from moderation.screening.crisis import crisis_level as words_crisis_level

from . import events
from .errors import DMRefused
from .models import Conversation, DirectMessage, DirectMessageReport


def crisis_level(text: str, *, earlier=None) -> str:
    """ "danger", "unsafe", "concern" or "" for words in a private message: the
    same crisis net as circles, read after the author's recent lines (`earlier`) as
    a chat line is."""
    return words_crisis_level(text, earlier=earlier)


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
def card_even_if_refused(*, author, body, conversation=None):
    """Words suggesting danger in a write refused for another reason (closed, not
    allowed, too fast): nothing was stored, but the author still gets the card,
    saying nothing was sent, and the words join their case without being kept. In a
    check-in (`conversation`, saved or about to be) that is the member's case in the
    check-in's circle; between members a staff case. A moderator's own words in a
    check-in open nothing, and show no card, short of danger about themself."""
    try:
        yield
    except DMRefused as refused:
        level = crisis_level(body) if isinstance(body, str) and body.strip() else ""
        said = None
        if level and refused.status != 404:
            said = _refused_words(author=author, level=level, conversation=conversation)
        if said is None:
            level = ""
        refused.crisis_level, refused.crisis_said = level, said or ""
        if level:
            realtime.broadcast_on_commit(
                events.me_group(author.pk),
                crisis_frame(level=level, posted="no", author=author, said=said),
            )
        raise


def _is_check_in(conversation) -> bool:
    return conversation is not None and conversation.kind == Conversation.Kind.CHECK_IN


def _refused_words(*, author, level: str, conversation) -> str | None:
    """Refused words join the author's case, under its alert cap (30 refused
    messages tell each keeper once, not 30 times). Returns the card's sentence ("":
    a private message's own), or None when nothing opens."""
    check_in = _is_check_in(conversation)
    moderator_wrote = check_in and author.pk == conversation.starter_id
    if moderator_wrote and level != "danger":
        return None
    circle = conversation.circle if check_in else None
    joined = safety_case_join(
        circle=circle,
        person=author,
        kind=SafetyItem.Kind.NOT_OK,
        object_id=None,
        level=level,
        source=SafetyItem.Source.REFUSED,
    )
    if not check_in:
        return ""
    if not moderator_wrote:
        _staff_told_once(joined, author=author)
    told = _told(
        joined.case,
        author=author,
        moderator_wrote=moderator_wrote,
        rest="not what you wrote.",
    )
    return f"Your message was not sent, and no one else can read it. {told}"


def raise_crisis_alert(*, message: DirectMessage, level: str, other) -> str | None:
    """Words suggesting danger: the message is delivered as written; the author gets
    the crisis card on their sockets, and the words join their case (see the module
    docstring for whose). Returns the card's sentence when it is not the private
    message's own ("" otherwise), so the page's card says the same; None when
    nothing opens (a moderator's own words in a check-in short of danger)."""
    conversation = message.conversation
    author = message.author
    said = ""  # the card's own sentence for a private message
    if _is_check_in(conversation):
        said = _check_in_words(message=message, level=level, other=other)
        if said is None:
            return None
    else:
        _staff_case_words(message=message, level=level)
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


def _staff_case_words(*, message, level: str):
    """Words staff may read (the message and a few around it): a crisis alert in
    their queue, and the author's staff case."""
    DirectMessageReport.objects.create(
        message=message, reason=DirectMessageReport.Reason.CRISIS, level=level
    )
    return safety_case_join(
        circle=None,
        person=message.author,
        kind=SafetyItem.Kind.DM,
        object_id=message.pk,
        level=level,
        source=SafetyItem.Source.WORDS,
    )


def _check_in_words(*, message, level: str, other) -> str | None:
    """A check-in's words: the member's join the member's case in the circle (a
    staff case for a check-in by site staff from one); the moderator's open a case
    about them only at danger. Returns what the card says happened (None: nothing
    opens)."""
    conversation = message.conversation
    author = message.author
    moderator_wrote = author.pk == conversation.starter_id
    if moderator_wrote and level != "danger":
        return None
    delivered = f"Your message was delivered: {other.display_name} can read it now."
    if conversation.circle_id is None:  # staff's check-in from a staff case
        joined = _staff_case_words(message=message, level=level)
        told = _told(
            joined.case,
            author=author,
            moderator_wrote=moderator_wrote,
            rest="and they may read this message and the few around it.",
        )
        return f"{delivered} {told}"
    joined = safety_case_join(
        circle=conversation.circle,
        person=author,
        kind=SafetyItem.Kind.DM,
        object_id=message.pk,
        level=level,
        source=SafetyItem.Source.WORDS,
    )
    if not moderator_wrote:
        _staff_told_once(joined, author=author, message=message)
    told = _told(
        joined.case,
        author=author,
        moderator_wrote=moderator_wrote,
        rest="not what you wrote.",
    )
    return f"{delivered} {told}"


def _staff_told_once(joined, *, author, message=None) -> None:
    """A member's case in a circle that rose to danger while a moderator holds it
    (so nobody else was alerted with urgency): site staff are told, once a case."""
    case = joined.case
    now = timezone.now()
    if not (
        case.circle_id is not None
        and joined.rose
        and case.level == "danger"
        and case.held_at(now)
        and case.staff_told_at is None
    ):
        return
    case.staff_told_at = now
    case.save(update_fields=["staff_told_at"])
    if message is not None:
        report = DirectMessageReport.objects.create(
            message=message, reason=DirectMessageReport.Reason.CRISIS, level="danger"
        )
        url = f"{reverse('conversations_staff:queue')}#dm-report-{report.pk}"
        text = (
            "Words in a check-in suggest someone may be in danger, while a "
            "moderator is already with them."
        )
    else:
        url = queue_url(case.circle)
        text = (
            "Words someone tried to send in a check-in (nothing was sent) suggest "
            "they may be in danger, while a moderator is already with them."
        )
    for person in staff():
        if person.pk != author.pk:
            notification_send(recipient=person, kind="safety", text=text, url=url)


NOBODY_TOLD = (
    "No one else on this site could be told right now, so please reach one of the "
    "lines below."
)


def _told(case, *, author, moderator_wrote: bool, rest: str) -> str:
    """Who was told about `case`, for its person's card: never more than is true."""
    keepers, are_keepers = case_keepers(case)
    if are_keepers:
        other = "other " if moderator_wrote else ""
        who = f"The {other}hosts and moderators of {case.circle.name}"
    elif not keepers:
        return NOBODY_TOLD
    elif author.is_staff:
        who = "The other members of the site's staff"
    else:
        who = "The site's staff"
    return f"{who} know that you may need support, {rest}"


def check_in_written(*, conversation, author) -> None:
    """A check-in message from the moderator holding the member's case keeps their
    pick-up fresh."""
    if _is_check_in(conversation) and author.pk == conversation.starter_id:
        case = open_case_of(circle=conversation.circle, person=conversation.recipient)
        safety_case_touch(case=case, actor=author)
