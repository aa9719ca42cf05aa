"""Moderation writes: every action is done and written to the audit log in one
transaction."""

from django.db import transaction

from circles import services as circle_services
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
    membership = circle_services.membership_unmute(actor=actor, circle=circle, user_id=user_id)
    audit_record(
        circle=circle, actor=actor, action=Action.UNMUTE, target_user=membership.user,
        reason=reason,
    )
    return membership


@transaction.atomic
def member_ban(*, actor, circle: Circle, user_id: int, reason: str = ""):
    membership = circle_services.membership_ban(
        actor=actor, circle=circle, user_id=user_id, reason=reason
    )
    audit_record(
        circle=circle, actor=actor, action=Action.BAN, target_user=membership.user,
        reason=reason,
    )
    return membership


@transaction.atomic
def member_unban(*, actor, circle: Circle, user_id: int, reason: str = ""):
    membership = circle_services.membership_unban(actor=actor, circle=circle, user_id=user_id)
    audit_record(
        circle=circle, actor=actor, action=Action.UNBAN, target_user=membership.user,
        reason=reason,
    )
    return membership
