"""Moderation writes: every action is done and written to the audit log in one
transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from circles import events, permissions
from circles import services as circle_services
from community import realtime
from circles.models import Circle

from .models import ModerationAction

Action = ModerationAction.Action


def audit_record(
    *,
    circle: Circle,
    actor,
    action: str,
    target_user=None,
    target_kind: str = "",
    target_id: int | None = None,
    reason: str = "",
    detail: str = "",
) -> ModerationAction:
    return ModerationAction.objects.create(
        circle=circle,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_user=target_user,
        target_kind=target_kind,
        target_id=target_id,
        reason=reason[:500],
        detail=detail[:200],
    )


@transaction.atomic
def member_mute(*, actor, circle: Circle, user_id: int, minutes: int, reason: str = ""):
    membership = circle_services.membership_mute(
        actor=actor, circle=circle, user_id=user_id, minutes=minutes, reason=reason
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.MUTE,
        target_user=membership.user,
        reason=reason,
        detail=f"for {minutes} minutes",
    )
    return membership


@transaction.atomic
def member_unmute(*, actor, circle: Circle, user_id: int, reason: str = ""):
    membership = circle_services.membership_unmute(
        actor=actor, circle=circle, user_id=user_id
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.UNMUTE,
        target_user=membership.user,
        reason=reason,
    )
    return membership


@transaction.atomic
def member_ban(*, actor, circle: Circle, user_id: int, reason: str = ""):
    membership = circle_services.membership_ban(
        actor=actor, circle=circle, user_id=user_id, reason=reason
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.BAN,
        target_user=membership.user,
        reason=reason,
    )
    return membership


@transaction.atomic
def member_unban(*, actor, circle: Circle, user_id: int, reason: str = ""):
    membership = circle_services.membership_unban(
        actor=actor, circle=circle, user_id=user_id
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.UNBAN,
        target_user=membership.user,
        reason=reason,
    )
    return membership


@transaction.atomic
def chat_slow_mode_set(*, actor, circle: Circle, seconds: int) -> Circle:
    """Slow mode: each member may send one chat message every `seconds` (0: off)."""
    permissions.check_moderate_circle(actor, circle)
    if not 0 <= seconds <= 3600:
        raise ValidationError({"seconds": "Slow mode is 0 (off) to 3,600 seconds."})
    circle.slow_mode_seconds = seconds
    circle.save(update_fields=["slow_mode_seconds"])
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.SLOW_MODE,
        detail=f"{seconds} seconds" if seconds else "off",
    )
    realtime.broadcast_on_commit(
        events.circle_group(circle.pk), events.slow_mode_changed(seconds)
    )
    return circle
