"""Personal safety tools: "I'm not OK right now", ignoring someone, and the quiet
alerts that reach a circle's hosts and moderators."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from circles import permissions
from circles.models import Membership
from community import ratelimit
from community.accounts.models import User
from community.notifications.services import notification_send
from moderation.models import Ignore, SafetyItem

from .selectors import moderators_of, people_sharing_a_circle_with


def safety_url(circle) -> str:
    """The safety part of a circle's moderation page."""
    return f"{reverse('moderation_circle:queue', args=[circle.slug])}#safety"


def moderators_alert(
    *, circle, kind: str, text: str, url: str, except_user=None
) -> None:
    """Tell every host and moderator of `circle`, except `except_user`."""
    for moderator in moderators_of(circle=circle):
        if except_user is None or moderator.pk != except_user.pk:
            notification_send(
                recipient=moderator, kind=kind, text=text, url=url, circle=circle
            )


def member_not_ok(*, user, circle) -> bool:
    """ "I'm not OK right now": quietly alert the circle's hosts and moderators.
    Returns whether they were alerted (at most `RATE_LIMIT_NOT_OK`, by default
    once in 30 minutes, a person and circle)."""
    permissions.allow_read_circle(user, circle)
    try:
        ratelimit.hit_action("NOT_OK", f"{user.pk}:{circle.pk}")
    except ratelimit.RateLimited:
        return False
    safety_item_open(
        circle=circle,
        kind=SafetyItem.Kind.NOT_OK,
        object_id=None,
        person=user,
        level=SafetyItem.Level.CONCERN,
        source=SafetyItem.Source.NOT_OK,
    )
    moderators_alert(
        circle=circle,
        kind="support_alert",
        text=f"{user.display_name} pressed “I'm not OK right now” in {circle.name}. "
        "Consider checking in with them privately.",
        url=safety_url(circle),
        except_user=user,
    )
    return True


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


def safety_item_open(
    *, circle, kind: str, object_id, person, level: str, source: str
) -> SafetyItem:
    """Put a safety item in the circle's queue (one open item per thing and source:
    a second alarm about the same words raises the level, it does not add a row)."""
    existing = (
        SafetyItem.objects.filter(
            circle=circle,
            kind=kind,
            object_id=object_id,
            source=source,
            resolved_at=None,
        ).first()
        if object_id is not None
        else None
    )
    if existing is not None:
        if level == SafetyItem.Level.DANGER and existing.level != level:
            existing.level = level
            existing.save(update_fields=["level"])
        return existing
    return SafetyItem.objects.create(
        circle=circle,
        kind=kind,
        object_id=object_id,
        person=person,
        level=level,
        source=source,
    )


def _safety_items(*, actor, kind: str, object_id: int):
    """The open safety items a moderator may act on: 404 like a missing one for
    anyone who may not read the circle, 403 for a plain member."""
    if kind == SafetyItem.Kind.NOT_OK:
        items = SafetyItem.objects.filter(pk=object_id, kind=kind)
    else:
        items = SafetyItem.objects.filter(kind=kind, object_id=object_id)
    items = list(items.filter(resolved_at=None).select_related("circle"))
    if not items:
        raise Http404("No such item.")
    permissions.allow_moderate_circle(actor, items[0].circle)
    return items


@transaction.atomic
def safety_item_pick_up(*, actor, kind: str, object_id: int) -> list[SafetyItem]:
    """`actor` is reaching out: the others see who, so two do not both write and
    none forgets. Picking up an item someone else holds takes it over."""
    items = _safety_items(actor=actor, kind=kind, object_id=object_id)
    now = timezone.now()
    for item in items:
        item.picked_up_by, item.picked_up_at = actor, now
        item.save(update_fields=["picked_up_by", "picked_up_at"])
    return items


@transaction.atomic
def safety_item_resolve(*, actor, kind: str, object_id: int) -> list[SafetyItem]:
    """Someone reached out and the moment has passed: off the open list."""
    items = _safety_items(actor=actor, kind=kind, object_id=object_id)
    now = timezone.now()
    for item in items:
        item.resolved_at = now
        if item.picked_up_by_id is None:
            item.picked_up_by, item.picked_up_at = actor, now
        item.save(update_fields=["resolved_at", "picked_up_by", "picked_up_at"])
    return items


def _escalation_recipients(circle) -> list:
    """The circle's hosts and moderators, and site staff: one query."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(is_staff=True)
            | Q(
                memberships__circle=circle,
                memberships__state=Membership.State.ACTIVE,
                memberships__role__in=[
                    Membership.Role.HOST,
                    Membership.Role.MODERATOR,
                ],
            )
        )
        .distinct()
    )


def safety_escalate_overdue(*, now=None) -> int:
    """Escalate each `danger` safety item nobody picked up in
    SAFETY_ESCALATE_MINUTES: a `safety_escalated` notification (and email to a
    verified address, whatever the person chose) to the circle's hosts and
    moderators and to site staff. The item is claimed (`escalated_at` set where it
    was empty) in the same transaction as the notifications, so a retry or a second
    scheduler sends nothing."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.SAFETY_ESCALATE_MINUTES)
    overdue = SafetyItem.objects.filter(
        level=SafetyItem.Level.DANGER,
        picked_up_at=None,
        escalated_at=None,
        resolved_at=None,
        created_at__lte=cutoff,
    ).select_related("circle")
    escalated = 0
    for item in overdue:
        with transaction.atomic():
            claimed = SafetyItem.objects.filter(pk=item.pk, escalated_at=None).update(
                escalated_at=now
            )
            if not claimed:
                continue  # another scheduler escalated it first
            waited = int((now - item.created_at).total_seconds() // 60)
            for user in _escalation_recipients(item.circle):
                notification_send(
                    recipient=user,
                    kind="safety_escalated",
                    text=f"Someone in “{item.circle.name}” may be in danger, and the "
                    f"alert has waited {waited} minutes with nobody picking it up. "
                    "Please look now.",
                    url=safety_url(item.circle),
                    circle=item.circle,
                )
        escalated += 1
    return escalated


def crisis_words_unposted(*, circle, author, level: str) -> SafetyItem:
    """Words suggesting danger in a write refused for another reason (a blocked
    word, a mute, a rate limit): nothing was stored, but a person may still need
    someone, so the moderators get the same safety item and alert."""
    item = safety_item_open(
        circle=circle,
        kind=SafetyItem.Kind.NOT_OK,
        object_id=None,
        person=author,
        level=level,
        source=SafetyItem.Source.WORDS,
    )
    moderators_alert(
        circle=circle,
        kind="self_harm",
        text=f"Words {author.display_name} tried to post in {circle.name} suggest "
        "they may be thinking of harming themself (their words were not posted). "
        "Please look at the review queue soon.",
        url=safety_url(circle),
        except_user=author,
    )
    return item
