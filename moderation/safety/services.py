"""Personal safety tools and acting on safety cases: "I'm not OK right now",
ignoring someone, and picking up, holding, closing and escalating the cases (how
something joins a case, and who is told, is in `cases`)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from circles import permissions
from circles.models import Membership
from community import ratelimit
from community.accounts.models import User
from community.conversations.models import DirectMessageReport
from community.notifications.services import notification_send
from community.outbox import mail
from community.outbox.mail import email_cancel_naming
from moderation.models import LEVEL_RANK, Flag, Ignore, SafetyCase, SafetyItem

from .cases import LEVEL_WORDS, queue_url, safety_case_join
from .selectors import IGNORED, moderators_of, people_sharing_a_circle_with

Level = SafetyCase.Level
Source = SafetyItem.Source


def moderators_alert(
    *, circle, kind: str, text: str, url: str, except_user=None
) -> None:
    """Tell every host and moderator of `circle`, except `except_user`."""
    for moderator in moderators_of(circle=circle):
        if except_user is None or moderator.pk != except_user.pk:
            notification_send(
                recipient=moderator, kind=kind, text=text, url=url, circle=circle
            )


def ignore_add(*, user, ignored_id: int):
    if not user.is_authenticated:
        raise PermissionDenied("Log in first.")
    if ignored_id == user.pk:
        raise ValidationError("You cannot ignore yourself.")
    ignored = (
        User.objects.filter(pk=ignored_id, is_active=True)
        .filter(pk__in=people_sharing_a_circle_with(user=user))
        .first()
    )
    if ignored is None:  # unknown, or someone you cannot see: the same answer
        raise Http404("No such person.")
    Ignore.objects.get_or_create(user=user, ignored=ignored)
    IGNORED.forget(user.pk)
    # A reply or mention by them already on its way to this person's inbox is
    # not sent either: what an ignore hides from now on, it hides from email too.
    email_cancel_naming(
        name=ignored.display_name, user=user, purpose=mail.Purpose.NOTIFICATION
    )
    return ignored


def ignore_remove(*, user, ignored_id: int) -> None:
    Ignore.objects.filter(user=user, ignored_id=ignored_id).delete()
    IGNORED.forget(user.pk)


def member_not_ok(*, user, circle) -> bool:
    """ "I'm not OK right now": every press joins the person's case (the press counts
    as danger for escalation). Returns whether the keepers were told this time (a
    press over `RATE_LIMIT_NOT_OK`, or within the case's alert cap, tells nobody
    again)."""
    permissions.allow_read_circle(user, circle)
    try:
        ratelimit.hit_action("NOT_OK", f"{user.pk}:{circle.pk}")
    except ratelimit.RateLimited:
        limited = True
    else:
        limited = False
    joined = safety_case_join(
        circle=circle,
        person=user,
        kind=SafetyItem.Kind.NOT_OK,
        object_id=None,
        level=Level.CONCERN,
        source=Source.NOT_OK,
        quiet=limited,
    )
    return joined.told


# --- acting on a case ------------------------------------------------------------
def case_get(*, actor, kind: str, object_id) -> SafetyCase:
    """The open case an item belongs to, for someone who may act on it: 404 like a
    missing one for anyone who may not read its circle, for the person it is about,
    and for a staff case to anyone but staff; 403 for a plain member."""
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        raise Http404("No such item.") from None
    items = SafetyItem.objects.filter(kind=kind, case__resolved_at=None)
    if kind == SafetyItem.Kind.NOT_OK:
        items = items.filter(pk=object_id)
    else:
        items = items.filter(object_id=object_id)
    item = items.select_related("case__circle", "case__person").first()
    if item is None or item.case.person_id == actor.pk:
        raise Http404("No such item.")
    case = item.case
    if case.circle_id is None:
        if not permissions.is_staff(actor):
            raise Http404("No such item.")
    else:
        permissions.allow_moderate_circle(actor, case.circle)
    return case


def _locked(case) -> SafetyCase:
    return (
        SafetyCase.objects.select_for_update(of=("self",))
        .select_related("circle", "person")
        .get(pk=case.pk)
    )


@transaction.atomic
def safety_case_pick_up(*, actor, kind: str, object_id) -> SafetyCase:
    """`actor` holds the whole case: the others see who, so two do not both write
    and none forgets. Picking up a case someone else holds takes it over."""
    case = _locked(case_get(actor=actor, kind=kind, object_id=object_id))
    return _hold(case, actor=actor)


def _hold(case, *, actor) -> SafetyCase:
    now = timezone.now()
    case.picked_up_by, case.picked_up_at, case.holder_active_at = actor, now, now
    case.save(update_fields=["picked_up_by", "picked_up_at", "holder_active_at"])
    SafetyItem.objects.filter(case=case).update(picked_up_by=actor, picked_up_at=now)
    return case


def cases_for(*, actor, circle):
    """The open cases `actor` may act on in `circle` (None: staff cases)."""
    if circle is None:
        if not permissions.is_staff(actor):
            raise PermissionDenied("Only site staff hold staff cases.")
    else:
        permissions.allow_moderate_circle(actor, circle)
    return SafetyCase.objects.filter(circle=circle, resolved_at=None).exclude(
        person=actor
    )


@transaction.atomic
def safety_case_take_next(*, actor, circle) -> SafetyCase | None:
    """Pick up the gravest case nobody holds (danger, unsafe, concern; the oldest
    first), or None when every case is held."""
    now = timezone.now()
    lapse = now - timedelta(minutes=settings.SAFETY_PICKUP_MINUTES)
    free = (
        cases_for(actor=actor, circle=circle)
        .filter(Q(picked_up_by=None) | Q(holder_active_at__lte=lapse))
        .select_related("circle", "person")
    )
    ordered = sorted(free, key=lambda c: (-LEVEL_RANK[c.level], c.opened_at, c.pk))
    for case in ordered:
        case = _locked(case)
        if case.resolved_at is None and not case.held_at(now):
            return _hold(case, actor=actor)
    return None


def safety_case_touch(*, case, actor) -> None:
    """The holder did something for the person (a check-in message, care): their
    pick-up stays fresh."""
    if case is not None and case.picked_up_by_id == actor.pk:
        SafetyCase.objects.filter(pk=case.pk).update(holder_active_at=timezone.now())


def open_case_of(*, circle, person) -> SafetyCase | None:
    return (
        SafetyCase.objects.filter(circle=circle, person=person, resolved_at=None)
        .select_related("circle", "person")
        .first()
    )


@transaction.atomic
def safety_case_resolve(*, actor, kind: str, object_id) -> SafetyCase:
    """Someone reached out and the moment has passed: the whole case is closed, with
    its items, the self-harm flags that joined it and its private messages' crisis
    alerts."""
    case = _locked(case_get(actor=actor, kind=kind, object_id=object_id))
    now = timezone.now()
    case.resolved_at, case.resolved_by = now, actor
    if case.picked_up_by_id is None:
        case.picked_up_by, case.picked_up_at = actor, now
    case.holder_active_at = now
    case.save(
        update_fields=[
            "resolved_at",
            "resolved_by",
            "picked_up_by",
            "picked_up_at",
            "holder_active_at",
        ]
    )
    items = SafetyItem.objects.filter(case=case, resolved_at=None)
    for item in items.exclude(object_id=None).filter(source=Source.FLAG):
        Flag.objects.filter(
            kind=item.kind,
            object_id=item.object_id,
            reason=Flag.Reason.SELF_HARM,
            resolved_at=None,
        ).update(resolved_at=now, resolution=Flag.Resolution.DISMISSED)
    # The crisis alerts of its private messages leave staff's message queue too
    # (a report for another reason, say harassment, stays there).
    DirectMessageReport.objects.filter(
        reason=DirectMessageReport.Reason.CRISIS,
        resolved_at=None,
        message_id__in=items.filter(kind=SafetyItem.Kind.DM)
        .exclude(object_id=None)
        .values("object_id"),
    ).update(resolved_at=now, resolved_by=actor)
    items.filter(picked_up_by=None).update(picked_up_by=actor, picked_up_at=now)
    items.update(resolved_at=now)
    return case


# --- escalation --------------------------------------------------------------------
def _escalation_recipients(case) -> list:
    """The circle's hosts and moderators, and site staff (never the person): one
    query."""
    people = User.objects.filter(is_active=True).exclude(pk=case.person_id)
    if case.circle_id is None:
        return list(people.filter(is_staff=True))
    return list(
        people.filter(
            Q(is_staff=True)
            | Q(
                memberships__circle=case.circle,
                memberships__state=Membership.State.ACTIVE,
                memberships__role__in=[
                    Membership.Role.HOST,
                    Membership.Role.MODERATOR,
                ],
            )
        ).distinct()
    )


def safety_escalate_overdue(*, now=None) -> int:
    """Escalate, once, each case nobody holds SAFETY_ESCALATE_MINUTES after it first
    reached danger or unsafe ("I'm not OK" counts as danger): a `safety_escalated`
    notification (and email to a verified address, whatever the person chose) to the
    circle's hosts and moderators and to site staff. The case is claimed
    (`escalated_at` set where it was empty) in the same transaction as the
    notifications, so a retry or a second scheduler sends nothing."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.SAFETY_ESCALATE_MINUTES)
    lapse = now - timedelta(minutes=settings.SAFETY_PICKUP_MINUTES)
    overdue = (
        SafetyCase.objects.filter(
            escalated_at=None, resolved_at=None, grave_at__lte=cutoff
        )
        .filter(Q(picked_up_by=None) | Q(holder_active_at__lte=lapse))
        .select_related("circle", "person")
    )
    escalated = 0
    for case in overdue:
        with transaction.atomic():
            claimed = SafetyCase.objects.filter(pk=case.pk, escalated_at=None).update(
                escalated_at=now
            )
            if not claimed:
                continue  # another scheduler escalated it first
            SafetyItem.objects.filter(case=case, escalated_at=None).update(
                escalated_at=now
            )
            waited = int((now - case.grave_at).total_seconds() // 60)
            where = f"“{case.circle.name}”" if case.circle_id else "a private message"
            for user in _escalation_recipients(case):
                notification_send(
                    recipient=user,
                    kind="safety_escalated",
                    text=f"Someone in {where} {LEVEL_WORDS.get(case.level, 'may need someone')}"
                    f"{' (they pressed “I’m not OK right now”)' if case.level == Level.CONCERN else ''}, "
                    f"and their case has waited {waited} minutes with nobody holding "
                    "it. Please look now.",
                    url=queue_url(case.circle),
                    circle=case.circle
                    if case.circle_id and not user.is_staff
                    else None,
                )
        escalated += 1
    return escalated


# --- misread -----------------------------------------------------------------------
@transaction.atomic
def safety_item_misread(*, user, kind: str, object_id) -> SafetyItem:
    """The author says "I'm OK, that was misread": the item is marked, and a case
    that holds nothing graver than concern no longer escalates. The case stays for a
    moderator to close; a misread never closes a case."""
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        raise Http404("No such item.") from None
    items = SafetyItem.objects.filter(kind=kind, person=user).exclude(
        source=Source.NOT_OK
    )
    if kind == SafetyItem.Kind.NOT_OK:
        items = items.filter(pk=object_id)
    else:
        items = items.filter(object_id=object_id)
    items = list(items.select_related("case"))
    if not user.is_authenticated or not items:
        raise Http404("No such item.")
    now = timezone.now()
    for item in items:
        if item.misread_at is None:
            item.misread_at = now
            item.save(update_fields=["misread_at"])
    case = items[-1].case
    if case is not None and case.resolved_at is None:
        case = SafetyCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
        pressed = SafetyItem.objects.filter(case=case, source=Source.NOT_OK).exists()
        if case.level == Level.CONCERN and not pressed:
            case.grave_at = None
            case.save(update_fields=["grave_at"])
    return items[-1]
