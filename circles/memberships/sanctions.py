"""Mute and ban: a moderator's actions on a membership. Each writes its own audit
line and tells the person privately, with the reason and what they can still do."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community import realtime
from community.notifications.services import notification_send
from community.templatetags.when import fallback_text
from moderation.audit.services import audit_record
from moderation.models import ModerationAction

from .. import permissions
from ..models import Circle, Membership
from . import events
from .services import end_membership, fill_free_seats, lock_circle

State = Membership.State
Role = Membership.Role


def _target_membership(circle: Circle, user_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("user", "circle")
        .filter(circle=circle, user_id=user_id)
        .first()
    )
    if membership is None:
        raise ValidationError("That person is not in this circle.")
    return membership


def _check_may_act_on(actor, membership: Membership) -> None:
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot do that to yourself.")
    if membership.role == Role.HOST and not permissions.is_staff(actor):
        raise PermissionDenied("A host cannot be muted or banned by a moderator.")
    if membership.role == Role.MODERATOR and not (
        permissions.can_manage_circle(actor, membership.circle)
        or permissions.is_staff(actor)
    ):
        raise PermissionDenied("Only a host can mute or ban a moderator.")


def _sentence(reason: str) -> str:
    """A moderator's reason set inside our own sentence: no doubled full stop."""
    return reason.strip()[:150].rstrip(" .")


def _tell_member(membership: Membership, text: str, *, url: str = "") -> None:
    """A private notice to the person a moderator acted on, with the reason."""
    notification_send(
        recipient=membership.user,
        kind="moderation",
        text=text,
        url=url or membership.circle.get_absolute_url(),
        circle=membership.circle,
    )


def membership_mute(
    *, actor, circle: Circle, user_id: int, minutes: int, reason: str = ""
) -> Membership:
    """Mute: the member can still read, but cannot post or chat until then."""
    permissions.allow_moderate_circle(actor, circle)
    if not 1 <= minutes <= 60 * 24 * 30:
        raise ValidationError({"minutes": "Mute for 1 minute to 30 days."})
    with transaction.atomic():
        membership = _target_membership(circle, user_id)
        if membership.state != State.ACTIVE:
            raise ValidationError("Only active members can be muted.")
        _check_may_act_on(actor, membership)
        membership.muted_until = timezone.now() + timedelta(minutes=minutes)
        membership.mute_reason = reason.strip()[:500]
        membership.save(update_fields=["muted_until", "mute_reason"])
        audit_record(
            circle=circle,
            actor=actor,
            action=ModerationAction.Action.MUTE,
            target_user=membership.user,
            reason=reason,
            detail=f"for {minutes} minutes",
        )
        _tell_member(
            membership,
            f"A moderator of {circle.name} muted you until "
            f"{fallback_text(membership.muted_until)}"
            + (f". Their reason: {_sentence(reason)}" if reason.strip() else "")
            + ". You can still read; you can write again after that.",
        )
        realtime.broadcast_on_commit(
            realtime.user_group(membership.user_id),
            events.mute_changed(circle.id, membership.muted_until),
        )
        return membership


def membership_unmute(
    *, actor, circle: Circle, user_id: int, reason: str = ""
) -> Membership:
    """Lift a mute before it ends: the member may write again, and is told so."""
    permissions.allow_moderate_circle(actor, circle)
    with transaction.atomic():
        membership = _target_membership(circle, user_id)
        if not permissions.is_muted(membership):
            raise ValidationError("That member is not muted.")
        membership.muted_until = None
        membership.mute_reason = ""
        membership.save(update_fields=["muted_until", "mute_reason"])
        audit_record(
            circle=circle,
            actor=actor,
            action=ModerationAction.Action.UNMUTE,
            target_user=membership.user,
            reason=reason,
        )
        _tell_member(
            membership,
            f"A moderator of {circle.name} lifted your mute: you can write there "
            "again.",
        )
        realtime.broadcast_on_commit(
            realtime.user_group(membership.user_id),
            events.mute_changed(circle.id, None),
        )
        return membership


def membership_ban(
    *, actor, circle: Circle, user_id: int, reason: str = ""
) -> Membership:
    """Ban: access ends at once and every open socket of theirs here is closed."""
    permissions.allow_moderate_circle(actor, circle)
    with transaction.atomic():
        circle = lock_circle(circle)
        membership = _target_membership(circle, user_id)
        if membership.state == State.BANNED:
            return membership
        _check_may_act_on(actor, membership)
        now = timezone.now()
        end_membership(membership, state=State.BANNED, now=now)
        membership.banned_at = now
        membership.ban_reason = reason.strip()[:500]
        membership.role = Role.MEMBER
        membership.save(update_fields=["banned_at", "ban_reason", "role"])
        audit_record(
            circle=circle,
            actor=actor,
            action=ModerationAction.Action.BAN,
            target_user=membership.user,
            reason=reason,
        )
        _tell_member(
            membership,
            f"A moderator of {circle.name} removed you from the circle"
            + (f". Their reason: {_sentence(reason)}" if reason.strip() else "")
            + ". You can no longer see it or join it again. Your other circles are "
            "as they were.",
            url=reverse("circles:list"),
        )
        fill_free_seats(circle, now=now)
        return membership


def membership_unban(
    *, actor, circle: Circle, user_id: int, reason: str = ""
) -> Membership:
    """Lift a ban. The person may join again; they are not let back in by this."""
    permissions.allow_moderate_circle(actor, circle)
    with transaction.atomic():
        membership = _target_membership(circle, user_id)
        if membership.state != State.BANNED:
            raise ValidationError("That person is not banned.")
        membership.state = State.LEFT
        membership.ban_reason = ""
        membership.save(update_fields=["state", "ban_reason"])
        audit_record(
            circle=circle,
            actor=actor,
            action=ModerationAction.Action.UNBAN,
            target_user=membership.user,
            reason=reason,
        )
        return membership
