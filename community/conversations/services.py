"""Writes for private conversations: check-ins, messages between members, closing,
reporting. Each checks permission first, writes in a transaction and broadcasts to
the two people's `/ws/me/` sockets after commit."""

import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from circles import permissions
from circles.models import Circle, Membership
from community import input_guard, markup, ratelimit, realtime
from community.notifications.services import notification_send
from moderation.safety.services import open_case_of, safety_case_touch
from moderation.screening.crisis import CONTEXT_LINES, CONTEXT_MINUTES

from . import events, rules, safety, selectors
from .errors import DMRefused
from .models import Conversation, DirectMessage, DirectMessageReport

Kind = Conversation.Kind
CLOSED = "This conversation is closed, so nothing was sent. You can still read it."
STAFF_ROLE = "one of the site's staff"


@dataclass
class DMSent:
    message: DirectMessage
    created: bool
    crisis_level: str = ""
    delivered_live: bool = True
    # What the crisis card says happened, when not the private message's own
    # sentence (a check-in says who knows): the socket's card and the page's agree.
    crisis_said: str = ""


def _clean_body(body) -> str:
    if not isinstance(body, str):
        raise DMRefused("invalid", "A message needs a text `body`.", status=400)
    if not input_guard.storable(body):
        raise DMRefused("invalid", input_guard.REFUSED, status=400)
    text = body.strip()
    if not text:
        raise DMRefused("invalid", "Write something before sending.", status=400)
    limit = markup.LIMITS["chat"]
    if len(text) > limit:
        raise DMRefused(
            "too_long",
            f"That is {len(text):,} characters; a message can have {limit:,}.",
            status=400,
        )
    return text


# --- starting ------------------------------------------------------------------
def _role_words(actor, circle: Circle) -> str:
    """Who is writing, truthfully: a host or moderator of the circle, or staff."""
    membership = permissions.membership_of(actor, circle)
    if membership is not None and membership.is_active:
        if membership.role == Membership.Role.HOST:
            return f"a host of {circle.name}"
        if membership.role == Membership.Role.MODERATOR:
            return f"a moderator of {circle.name}"
    return STAFF_ROLE


def check_in_start(*, actor, circle: Circle, member, body) -> DMSent:
    """A host or moderator opens (or reuses) a private check-in with a member of
    their circle, whatever the member's message setting."""
    permissions.allow_moderate_circle(actor, circle)
    if (
        not Membership.objects.filter(
            circle=circle, user=member, state=Membership.State.ACTIVE
        ).exists()
        or not member.is_active
    ):
        raise selectors.not_found()
    return _check_in_open(
        actor=actor,
        member=member,
        circle=circle,
        body=body,
        role=_role_words(actor, circle),
    )


def staff_check_in_start(*, actor, member, body) -> DMSent:
    """Site staff open (or reuse) a private check-in with the person of an open
    staff case (crisis words in private messages): a check-in with no circle, whose
    words join that staff case. Anyone else, or a person without one, gets the 404
    of a missing person."""
    if not permissions.is_staff(actor) or not member.is_active:
        raise selectors.not_found()
    case = open_case_of(circle=None, person=member)
    if case is None:
        raise selectors.not_found()
    sent = _check_in_open(
        actor=actor, member=member, circle=None, body=body, role=STAFF_ROLE
    )
    safety_case_touch(case=case, actor=actor)
    return sent


def _check_in_open(*, actor, member, circle, body, role: str) -> DMSent:
    if member.pk == actor.pk:
        raise DMRefused("invalid", "You cannot check in with yourself.", status=400)
    about_to_be = Conversation(
        kind=Kind.CHECK_IN, starter=actor, recipient=member, circle=circle
    )
    with safety.card_even_if_refused(author=actor, body=body, conversation=about_to_be):
        if not rules.check_in_holds(moderator=actor, member=member, circle=circle):
            raise DMRefused("forbidden", rules.REFUSED)
        text = _clean_body(body)
    with transaction.atomic():
        conversation = Conversation.objects.open_between(
            kind=Kind.CHECK_IN, starter=actor, recipient=member, circle=circle
        )
        sent = dm_send(author=actor, conversation=conversation, body=text)
        if sent.message.seq == 1:
            notification_send(
                recipient=member,
                kind="message",
                text=f"{actor.display_name}, {role}, wrote to you privately to "
                "check in.",
                url=conversation.get_absolute_url(),
                about=actor,
            )
    return sent


def message_start(*, sender, recipient_id: int, body) -> DMSent:
    """A member writes to another member who allows it (see `rules`)."""
    recipient = get_user_model().objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None or recipient.pk == sender.pk:
        raise selectors.not_found()
    verdict = rules.may_start_message(sender, recipient)
    if verdict == "hidden":
        raise selectors.not_found()
    with safety.card_even_if_refused(author=sender, body=body):
        if verdict != "ok":
            raise DMRefused("forbidden", rules.REFUSED)
        text = _clean_body(body)
    with transaction.atomic():
        conversation = Conversation.objects.open_between(
            kind=Kind.MESSAGE, starter=sender, recipient=recipient
        )
        sent = dm_send(author=sender, conversation=conversation, body=text)
        if sent.message.seq == 1:
            notification_send(
                recipient=recipient,
                kind="message",
                text=f"{sender.display_name} sent you a private message.",
                url=conversation.get_absolute_url(),
                about=sender,
            )
    return sent


# --- sending -------------------------------------------------------------------
def _existing(conversation, author, client_id: str) -> DirectMessage | None:
    if not client_id:
        return None
    return (
        DirectMessage.objects.filter(
            conversation=conversation, author=author, client_id=client_id
        )
        .select_related("author")
        .first()
    )


def dm_send(*, author, conversation: Conversation, body, client_id="") -> DMSent:
    """Store a message with the conversation's next `seq` and deliver it live.

    A resend with the same `client_id` returns the stored message, storing nothing.
    """
    if not conversation.has(author) or not author.is_active:
        raise selectors.not_found()
    if not isinstance(client_id, str) or len(client_id) > 64:
        raise DMRefused(
            "invalid", "`client_id` is a text of at most 64 characters.", status=400
        )
    existing = _existing(conversation, author, client_id)
    if existing is not None:
        return DMSent(existing, created=False)
    with safety.card_even_if_refused(
        author=author, body=body, conversation=conversation
    ):
        conversation = Conversation.objects.select_related(
            "starter", "recipient", "circle"
        ).get(
            pk=conversation.pk
        )  # fresh: the socket's copy is as old as the frame before
        if not conversation.is_open:
            raise DMRefused("closed", CLOSED)
        if not rules.may_continue(conversation, author):
            raise DMRefused("forbidden", rules.REFUSED)
        text = _clean_body(body)
        try:
            ratelimit.hit_action("DM", str(author.pk))
        except ratelimit.RateLimited as exc:
            raise DMRefused("rate_limited", str(exc), status=429) from exc
    level = safety.crisis_level(
        text,
        earlier=lambda: selectors.lines_recent(
            conversation=conversation,
            author=author,
            minutes=CONTEXT_MINUTES,
            limit=CONTEXT_LINES,
        ),
    )
    html = markup.render(text, kind="chat")
    other = conversation.other(author)
    sent = DMSent(None, created=True, crisis_level=level)

    def undelivered():
        sent.delivered_live = False

    try:
        with transaction.atomic():
            locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
            if not locked.is_open:  # closed while this was on its way
                raise DMRefused("closed", CLOSED)
            message = DirectMessage.objects.create(
                conversation=locked,
                author=author,
                seq=locked.dm_seq + 1,
                body=text,
                body_html=html,
                client_id=client_id,
            )
            read_field = (
                "starter_read_id"
                if author.pk == locked.starter_id
                else "recipient_read_id"
            )
            Conversation.objects.filter(pk=locked.pk).update(
                dm_seq=message.seq,
                last_message_id=message.pk,
                last_message_at=message.created_at,
                **{read_field: message.pk},
            )
            event = events.dm_message(message)
            for person_id in (author.pk, other.pk):
                selectors.UNREAD.forget(person_id)
                realtime.broadcast_on_commit(
                    events.me_group(person_id),
                    event,
                    on_failure=undelivered if person_id == author.pk else None,
                )
            if level:
                said = safety.raise_crisis_alert(
                    message=message, level=level, other=other
                )
                if said is None:  # a moderator's own words, short of danger
                    sent.crisis_level = ""
                else:
                    sent.crisis_said = said
            safety.check_in_written(conversation=locked, author=author)
    except IntegrityError:
        # The same client_id raced in from another socket: that one was stored.
        again = _existing(conversation, author, client_id)
        if again is None:
            raise
        return DMSent(again, created=False)
    sent.message = message
    return sent


# --- closing, reporting --------------------------------------------------------
def conversation_close(*, actor, conversation: Conversation) -> Conversation:
    """Either person closes it for both; both can still read it."""
    if not conversation.has(actor):
        raise selectors.not_found()
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if not locked.is_open:
            return locked
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.save(update_fields=["closed_at", "closed_by"])
        event = events.dm_closed(locked, by_name=actor.display_name)
        for person_id in (locked.starter_id, locked.recipient_id):
            realtime.broadcast_on_commit(events.me_group(person_id), event)
        other = locked.other(actor)
        notification_send(
            recipient=other,
            kind="message",
            text=f"{actor.display_name} closed your private conversation. "
            "You can still read it; no more messages can be sent in it.",
            url=locked.get_absolute_url(),
            about=actor,
        )
    return locked


def dm_report(
    *, reporter, message_id, reason: str, note: str = ""
) -> DirectMessageReport:
    """The recipient of a message brings it to site staff (once per message)."""
    message = (
        DirectMessage.objects.select_related("conversation")
        .filter(pk=message_id)
        .first()
        if isinstance(message_id, int)
        else None
    )
    if message is None or not message.conversation.has(reporter):
        raise selectors.not_found()
    if message.author_id == reporter.pk:
        raise DMRefused("forbidden", "You can report messages you received.")
    choices = set(DirectMessageReport.Reason.values) - {"crisis"}
    if reason not in choices:
        raise ValidationError({"reason": input_guard.CHOOSE_A_REASON})
    if not isinstance(note, str) or len(note) > markup.LIMITS["note"]:
        raise ValidationError({"note": "A note can have 1,000 characters."})
    existing = DirectMessageReport.objects.filter(
        message=message, reporter=reporter
    ).first()
    if existing is not None:
        return existing
    try:
        ratelimit.hit_action("DM_REPORT", str(reporter.pk))
    except ratelimit.RateLimited as limited:
        raise DMRefused("rate_limited", str(limited), status=429) from limited
    with transaction.atomic():
        report = DirectMessageReport.objects.create(
            message=message, reporter=reporter, reason=reason, note=note.strip()
        )
        if _first_report_in_window():
            for person in safety.staff():
                notification_send(
                    recipient=person,
                    kind="safety",
                    text="A private message was reported to site staff. More "
                    "reports until the next half hour wait in the queue without "
                    "another notice.",
                    url=f"{reverse('conversations_staff:queue')}#dm-report-{report.pk}",
                )
    return report


STAFF_NOTICE_SECONDS = 30 * 60


def _first_report_in_window() -> bool:
    """Staff hear of private-message reports once per half hour (on the clock's
    :00 and :30), in the app and by email; the queue holds every report. Without
    the cache every report tells them."""
    window = int(time.time() // STAFF_NOTICE_SECONDS)
    return cache.add(f"dm-report-staff-notice:{window}", 1, STAFF_NOTICE_SECONDS + 60)


def dm_report_resolve(*, actor, report_id: int) -> DirectMessageReport:
    """Site staff mark a report or alert as handled."""
    if not permissions.is_staff(actor):
        raise selectors.not_found()
    report = DirectMessageReport.objects.filter(pk=report_id).first()
    if report is None:
        raise selectors.not_found()
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by = actor
        report.save(update_fields=["resolved_at", "resolved_by"])
    return report


def conversation_mark_read(*, user, conversation: Conversation, up_to=None) -> None:
    """What `user` has seen: the whole conversation (a page), or up to a message id
    (a message shown live). Never moves backwards."""
    if not conversation.has(user):
        raise selectors.not_found()
    field = (
        "starter_read_id" if user.pk == conversation.starter_id else "recipient_read_id"
    )
    target = conversation.last_message_id
    if up_to is not None:
        target = min(up_to, target)
    if getattr(conversation, field) < target:
        if Conversation.objects.filter(
            pk=conversation.pk, **{f"{field}__lt": target}
        ).update(**{field: target}):
            selectors.UNREAD.forget(user.pk)
