"""Personal safety tools and the safety desk: "I'm not OK right now", ignoring
someone, and the cases that gather what suggests a person may need someone now
(one case per person per circle; per person for staff cases from private
messages), with the alerts, pick-ups and escalation that go with them."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from circles import permissions
from circles.models import Membership
from community import ratelimit, realtime
from community.accounts.models import User
from community.notifications.services import notification_send
from moderation.models import LEVEL_RANK, Flag, Ignore, SafetyCase, SafetyItem

from .selectors import moderators_of, people_sharing_a_circle_with

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
    return ignored


def ignore_remove(*, user, ignored_id: int) -> None:
    Ignore.objects.filter(user=user, ignored_id=ignored_id).delete()


# --- cases -----------------------------------------------------------------------
LEVEL_WORDS = {
    Level.DANGER: "may be in danger",
    Level.UNSAFE: "may not be safe where they are",
    Level.CONCERN: "may be struggling",
}


def queue_url(circle) -> str:
    return f"/circles/{circle.slug}/moderation/#safety" if circle else "/moderation/"


def _gravest(levels) -> str:
    return max(levels, key=lambda v: LEVEL_RANK.get(v, 0))


def _levels_text(levels) -> str:
    return " ".join(sorted(set(levels), key=lambda v: -LEVEL_RANK.get(v, 0)))


def _why(*, source: str, level: str, private: bool = False) -> str:
    """What happened, for the people told: never the words themselves."""
    if source == Source.NOT_OK:
        return "they pressed “I'm not OK right now”"
    if source == Source.FLAG:
        return "a member is worried they may harm themself"
    if source == Source.REFUSED:
        nothing = "nothing was sent" if private else "nothing was posted"
        return f"words they tried to send ({nothing}) suggest they {LEVEL_WORDS[level]}"
    return f"words they wrote suggest they {LEVEL_WORDS[level]}"


def _quiet_person(person, circle) -> bool:
    """A muted or banned person's words join their case without telling anyone
    again (a rise in level still does)."""
    if circle is None:
        return False
    membership = Membership.objects.filter(circle=circle, user=person).first()
    if membership is None:
        return False
    return membership.state == Membership.State.BANNED or permissions.is_muted(
        membership
    )


def _staff(except_user=None) -> list:
    people = User.objects.filter(is_staff=True, is_active=True)
    if except_user is not None:
        people = people.exclude(pk=except_user.pk)
    return list(people)


def case_keepers(case) -> tuple[list, bool]:
    """Who is told about `case`, and whether they are the circle's hosts and
    moderators (rather than staff): never the person it is about. A staff case, or
    one whose only keeper is its person, goes to site staff."""
    if case.circle_id is not None:
        keepers = [
            m for m in moderators_of(circle=case.circle) if m.pk != case.person_id
        ]
        if keepers:
            return keepers, True
    return _staff(except_user=case.person), False


def _alert_frame(case, item) -> dict:
    return realtime.client_event(
        "safety.alert",
        {
            "case": case.person_id,
            "level": case.level,
            "name": case.person.display_name,
            "url": queue_url(case.circle),
            "pick_up": f"/moderation/{item.kind}/{item.object_id or item.pk}/pick-up/",
        },
    )


def _tell(case, item, *, text: str) -> None:
    """Notification kind `safety` (email to verified addresses whatever was chosen),
    and the live `safety.alert` to the circle's hosts and moderators."""
    recipients, are_keepers = case_keepers(case)
    for person in recipients:
        notification_send(
            recipient=person,
            kind="safety",
            text=text,
            url=queue_url(case.circle),
            circle=case.circle if are_keepers else None,
        )
    if are_keepers:
        event = _alert_frame(case, item)
        event["circle"] = case.circle_id  # the circle socket forwards its own only
        for person in recipients:
            realtime.broadcast_on_commit(realtime.user_group(person.pk), event)


@dataclass
class Joined:
    case: SafetyCase
    item: SafetyItem
    opened: bool = False
    rose: bool = False
    told: bool = False


def _open_case(*, circle, person, level: str, now) -> tuple[SafetyCase, bool]:
    """The person's open case (locked), or a new one: race-safe."""
    found = (
        SafetyCase.objects.select_for_update()
        .filter(circle=circle, person=person, resolved_at=None)
        .first()
    )
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return (
                SafetyCase.objects.create(
                    circle=circle,
                    person=person,
                    level=level,
                    levels=level,
                    opened_at=now,
                ),
                True,
            )
    except IntegrityError:  # opened by another request at the same moment
        return (
            SafetyCase.objects.select_for_update().get(
                circle=circle, person=person, resolved_at=None
            ),
            False,
        )


def _item_in(case, *, circle, kind, object_id, person, level, source) -> SafetyItem:
    """One item per thing and source in a case: a second alarm about the same words
    raises its level; repeated refusals and presses share one row."""
    same = SafetyItem.objects.filter(case=case, kind=kind, source=source)
    if object_id is not None:
        same = same.filter(object_id=object_id)
    elif source not in (Source.REFUSED, Source.NOT_OK):
        same = same.none()
    existing = same.first()
    if existing is not None:
        if LEVEL_RANK[level] > LEVEL_RANK.get(existing.level, 0):
            existing.level = level
            existing.save(update_fields=["level"])
        return existing
    return SafetyItem.objects.create(
        circle=circle,
        case=case,
        kind=kind,
        object_id=object_id,
        person=person,
        level=level,
        source=source,
    )


@transaction.atomic
def safety_case_join(
    *, circle, person, kind: str, object_id, level: str, source: str, quiet=False
) -> Joined:
    """Something suggests `person` may need someone: it joins their open case in
    `circle` (None: a staff case), opening one if needed, and raises its level when
    graver. The keepers are told when the case opens or rises, otherwise at most once
    per SAFETY_ALERT_EVERY_MINUTES; a muted or banned person's further words, and a
    `quiet` join, tell nobody unless the level rose."""
    now = timezone.now()
    if source == Source.FLAG:
        level = Level.CONCERN  # a member's worry opens or joins at concern only
    case, opened = _open_case(circle=circle, person=person, level=level, now=now)
    rose = not opened and LEVEL_RANK[level] > LEVEL_RANK.get(case.level, 0)
    item = _item_in(
        case,
        circle=circle,
        kind=kind,
        object_id=object_id,
        person=person,
        level=level,
        source=source,
    )
    case.level = _gravest([case.level, level])
    case.levels = _levels_text([*case.level_list, level])
    grave = level in (Level.DANGER, Level.UNSAFE) or source == Source.NOT_OK
    if grave and case.grave_at is None:
        case.grave_at = now
    every = timedelta(minutes=settings.SAFETY_ALERT_EVERY_MINUTES)
    if opened or rose:
        told = True
    elif quiet or (source != Source.NOT_OK and _quiet_person(person, circle)):
        told = False
    else:
        told = case.alerted_at is None or case.alerted_at + every <= now
    if told:
        case.alerted_at = now
    case.save(
        update_fields=["level", "levels", "grave_at", "alerted_at"]
        if not opened
        else None
    )
    case.person = person
    joined = Joined(case=case, item=item, opened=opened, rose=rose, told=told)
    if told:
        _tell(case, item, text=_alert_text(joined, source=source, level=level))
    return joined


def _alert_text(joined: Joined, *, source: str, level: str) -> str:
    case = joined.case
    name = case.person.display_name
    where = f"in {case.circle.name}" if case.circle_id else "in a private message"
    why = _why(source=source, level=level, private=case.circle_id is None)
    if joined.opened:
        return f"{name} may need someone {where}: {why}. Please look at the safety desk soon."
    if joined.rose:
        return (
            f"{name}'s case {where} is graver now: {why}. Please look at the safety "
            "desk soon."
        )
    holder = case.picked_up_by if case.held_at(timezone.now()) else None
    who = (
        f" {holder.display_name} has it."
        if holder is not None
        else " Nobody has picked it up yet."
    )
    return f"More from {name} {where}: {why}. Their case is still open.{who}"


def safety_item_open(
    *, circle, kind: str, object_id, person, level: str, source: str
) -> SafetyItem:
    """Put a safety item in the person's case (see `safety_case_join`)."""
    return safety_case_join(
        circle=circle,
        person=person,
        kind=kind,
        object_id=object_id,
        level=level,
        source=source,
    ).item


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


def crisis_words_unposted(*, circle, author, level: str) -> SafetyItem:
    """Words suggesting danger in a write refused for another reason (a blocked
    word, a mute, a rate limit, a locked thread, too long): nothing was stored, but
    the words join the person's case, under its alert cap."""
    return safety_case_join(
        circle=circle,
        person=author,
        kind=SafetyItem.Kind.NOT_OK,
        object_id=None,
        level=level,
        source=Source.REFUSED,
    ).item


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
        SafetyCase.objects.select_for_update()
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
    """Someone reached out and the moment has passed: the whole case is closed."""
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
        case = SafetyCase.objects.select_for_update().get(pk=case.pk)
        pressed = SafetyItem.objects.filter(case=case, source=Source.NOT_OK).exists()
        if case.level == Level.CONCERN and not pressed:
            case.grave_at = None
            case.save(update_fields=["grave_at"])
    return items[-1]
