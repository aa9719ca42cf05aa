"""Stepping down: a host or moderator hands their role back and becomes a member,
through the one way a role changes (`services.role_apply`), with an audit line."""

from django.core.exceptions import ValidationError
from django.db import transaction

from moderation.audit.services import audit_record
from moderation.models import ModerationAction

from .. import permissions
from ..models import Circle, Membership
from .services import active_membership, is_last_host, lock_circle, role_apply

Role = Membership.Role

NO_ROLE = "You are a member here, with no host or moderator role to step down from."
LAST_HOST_STAYS = (
    "You are this circle's only host, so nothing has changed: a circle needs a "
    "host. Make another member host first (Make host, beside their name), then you "
    "can step down."
)


def membership_step_down(*, actor, circle: Circle) -> Membership:
    """A host (while another host remains) or a moderator becomes a member. The last
    host is refused with what to do first, and nothing changes."""
    permissions.allow_moderate_circle(actor, circle)
    with transaction.atomic():
        circle = lock_circle(circle)  # two hosts stepping down at once: one waits
        membership = active_membership(circle, actor.pk)
        if membership is None or membership.role == Role.MEMBER:
            raise ValidationError(NO_ROLE)
        if is_last_host(membership):
            raise ValidationError(LAST_HOST_STAYS)
        was = membership.get_role_display().lower()
        role_apply(membership, Role.MEMBER)
        audit_record(
            circle=circle,
            actor=actor,
            action=ModerationAction.Action.STEP_DOWN,
            target_user=actor,
            detail=f"was {was}",
        )
        return membership
