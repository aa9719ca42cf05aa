"""Joining a safety case: something suggests a person may need someone now, and it
joins their open case (one per person per circle; per person for staff cases from
private messages), opening one or raising its level, and telling the people who keep
it (notifications and the live `safety.alert`) under the alert cap."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from circles import permissions
from circles.models import Membership
from community import realtime
from community.accounts.models import User
from community.notifications.services import notification_send
from moderation.models import LEVEL_RANK, SafetyCase, SafetyItem

from .selectors import moderators_of

Level = SafetyCase.Level
Source = SafetyItem.Source


LEVEL_WORDS = {
    Level.DANGER: "may be in danger",
    Level.UNSAFE: "may not be safe where they are",
    Level.CONCERN: "may be struggling",
}


def queue_url(circle) -> str:
    if circle is None:
        return reverse("moderation:index")
    return f"{reverse('moderation_circle:queue', args=[circle.slug])}#safety"


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


def _keepers(circle, person) -> tuple[list, bool]:
    if circle is not None:
        keepers = [m for m in moderators_of(circle=circle) if m.pk != person.pk]
        if keepers:
            return keepers, True
    return _staff(except_user=person), False


def case_keepers(case) -> tuple[list, bool]:
    """Who is told about `case`, and whether they are the circle's hosts and
    moderators (rather than staff): never the person it is about. A staff case, or
    one whose only keeper is its person, goes to site staff."""
    return _keepers(case.circle if case.circle_id is not None else None, case.person)


def alert_audience(*, circle, person) -> str:
    """Who an alert about `person` in `circle` goes to, in the words their crisis
    card uses: "moderators" (the circle's other hosts and moderators), "staff"
    (they are its only host or moderator, or it is a private message), or "nobody"
    (no one else to tell: the card must not say anyone was)."""
    people, are_keepers = _keepers(circle, person)
    if are_keepers:
        return "moderators"
    return "staff" if people else "nobody"


def _alert_frame(case, item) -> dict:
    return realtime.client_event(
        "safety.alert",
        {
            "case": case.person_id,
            "level": case.level,
            "name": case.person.display_name,
            "url": queue_url(case.circle),
            "pick_up": reverse(
                "moderation:pick_up", args=[item.kind, item.object_id or item.pk]
            ),
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
        SafetyCase.objects.select_for_update(of=("self",))
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
            SafetyCase.objects.select_for_update(of=("self",)).get(
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
