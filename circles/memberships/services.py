"""Writes for circles and memberships. Each function checks, writes in a transaction,
grants or revokes guardian permissions, and schedules its broadcast after commit.

Mute and ban are in `sanctions.py`.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from community import ratelimit, realtime
from community.notifications.services import notification_send

from .. import permissions
from ..models import Circle, Membership, new_invite_token
from . import events
from .forms import ACCEPT_GUIDELINES, CHOOSE_ROLE
from .selectors import hosts_and_moderators

State = Membership.State
Role = Membership.Role


class JoinOutcome:
    JOINED = "joined"
    PENDING = "pending"
    WAITLISTED = "waitlisted"
    ALREADY = "already"


def _tell_keepers(circle, text: str) -> None:
    """A membership notice to the circle's hosts and moderators, linking to the
    members page where they decide."""
    for keeper in hosts_and_moderators(circle=circle):
        notification_send(
            recipient=keeper,
            kind="membership",
            text=text,
            url=reverse("circles:members", args=[circle.slug]),
            circle=circle,
        )


def _unique_slug(name: str) -> str:
    """The name and a short random suffix, always: a numbered slug ("-2") would tell
    that a hidden circle holds the plain one. A collision (one in 16 million per
    name) fails the insert, and circle_create picks again."""
    base = slugify(name)[:80] or "circle"
    return f"{base}-{secrets.token_hex(3)}"


def circle_create(
    *,
    creator,
    name: str,
    description: str = "",
    guidelines: str = "",
    join_policy: str = Circle.JoinPolicy.OPEN,
    visibility: str = Circle.Visibility.LISTED,
    capacity: int = 12,
) -> Circle:
    """Create a circle; its creator becomes its host."""
    if not creator.is_authenticated:
        raise PermissionDenied("Log in to create a circle.")
    ratelimit.hit_action("CIRCLE_CREATE", str(creator.pk))
    for _ in range(3):
        try:
            with transaction.atomic():
                circle = Circle(
                    name=name.strip(),
                    slug=_unique_slug(name),
                    description=description.strip(),
                    guidelines=guidelines.strip() or DEFAULT_GUIDELINES,
                    join_policy=join_policy,
                    visibility=visibility,
                    capacity=capacity,
                    created_by=creator,
                )
                circle.full_clean()
                circle.save()
                now = timezone.now()
                Membership.objects.create(
                    circle=circle,
                    user=creator,
                    role=Role.HOST,
                    state=State.ACTIVE,
                    joined_at=now,
                    guidelines_accepted_at=now,
                )
                permissions.grant_role(user=creator, circle=circle, role=Role.HOST)
                return circle
        except IntegrityError:  # two circles raced for one slug; pick again
            continue
    raise ValidationError({"name": "Could not make a unique address for that name."})


DEFAULT_GUIDELINES = (
    "Speak from your own experience. Listen before you advise, and ask first.\n"
    "What is shared here stays here.\n"
    "Be gentle: everyone is practising something hard.\n"
    "If you are in danger, contact local emergency services."
)


def lock_circle(circle: Circle) -> Circle:
    """Lock the circle row: joins, leaves and approvals are serialised per circle,
    so that the capacity count cannot be raced."""
    return Circle.objects.select_for_update().get(pk=circle.pk)


def _active_count(circle: Circle) -> int:
    return Membership.objects.filter(circle=circle, state=State.ACTIVE).count()


def _activate(membership: Membership, *, now) -> None:
    membership.state = State.ACTIVE
    membership.role = Role.MEMBER if membership.role == "" else membership.role
    membership.joined_at = now
    membership.left_at = None
    membership.waitlisted_at = None
    membership.save(
        update_fields=["state", "role", "joined_at", "left_at", "waitlisted_at"]
    )
    permissions.grant_role(
        user=membership.user, circle=membership.circle, role=membership.role
    )
    realtime.broadcast_on_commit(
        realtime.circle_group(membership.circle_id),
        events.members_changed(membership.circle_id),
    )


def _limit_join_requests(user, circle: Circle) -> None:
    """Each request tells the hosts: RATE_LIMITS["JOIN_REQUEST"] per person and
    circle, so asking and cancelling in a loop cannot flood them."""
    try:
        ratelimit.hit_action("JOIN_REQUEST", f"{user.pk}:{circle.pk}")
    except ratelimit.RateLimited as limited:
        raise ValidationError(str(limited)) from limited


def membership_join(
    *, user, circle: Circle, accept_guidelines: bool, invite_token: str | None = None
) -> tuple[Membership, str]:
    """Join a circle, ask to join, or take a waitlist place when it is full.

    Returns the membership and one of `JoinOutcome`.
    """
    permissions.allow_see_circle(user, circle, invite_token=invite_token)
    if not user.is_authenticated:
        raise PermissionDenied("Log in to join a circle.")
    if not accept_guidelines:
        raise ValidationError({"accept_guidelines": ACCEPT_GUIDELINES})
    invited = invite_token is not None and invite_token == circle.invite_token
    if circle.join_policy == Circle.JoinPolicy.INVITE and not invited:
        raise PermissionDenied("This circle is invite-only: ask a host for a link.")

    with transaction.atomic():
        circle = lock_circle(circle)
        now = timezone.now()
        membership, _ = Membership.objects.select_for_update().get_or_create(
            circle=circle, user=user, defaults={"state": State.LEFT}
        )
        if membership.state == State.BANNED:
            raise PermissionDenied("You cannot join this circle.")
        if membership.state in (State.ACTIVE, State.PENDING, State.WAITLISTED):
            outcome = {
                State.ACTIVE: JoinOutcome.ALREADY,
                State.PENDING: JoinOutcome.PENDING,
                State.WAITLISTED: JoinOutcome.WAITLISTED,
            }[membership.state]
            return membership, outcome

        membership.role = Role.MEMBER
        membership.guidelines_accepted_at = now
        membership.save(update_fields=["role", "guidelines_accepted_at"])
        if circle.join_policy == Circle.JoinPolicy.REQUEST and not invited:
            _limit_join_requests(user, circle)
            membership.state = State.PENDING
            membership.requested_at = now
            membership.save(update_fields=["state", "requested_at"])
            realtime.broadcast_on_commit(
                realtime.circle_group(circle.id), events.members_changed(circle.id)
            )
            _tell_keepers(circle, f"{user.display_name} asked to join {circle.name}.")
            return membership, JoinOutcome.PENDING
        if _active_count(circle) >= circle.capacity:
            membership.state = State.WAITLISTED
            membership.waitlisted_at = now
            membership.save(update_fields=["state", "waitlisted_at"])
            return membership, JoinOutcome.WAITLISTED
        _activate(membership, now=now)
        return membership, JoinOutcome.JOINED


def fill_free_seats(circle: Circle, *, now) -> list[Membership]:
    """Let people in from the waitlist, in order, while there is room.
    The caller holds the circle's lock."""
    promoted = []
    free = circle.capacity - _active_count(circle)
    if free <= 0:
        return promoted
    waiting = (
        Membership.objects.select_for_update()
        .filter(circle=circle, state=State.WAITLISTED)
        .select_related("user", "circle")
        .order_by("waitlisted_at", "id")[:free]
    )
    for membership in waiting:
        _activate(membership, now=now)
        notification_send(
            recipient=membership.user,
            kind="membership",
            text=f"A seat came free in {circle.name}: you are a member now.",
            url=circle.get_absolute_url(),
            circle=circle,
        )
        promoted.append(membership)
    return promoted


def end_membership(membership: Membership, *, state: str, now) -> None:
    """Leave or ban: revoke permissions and close the person's open sockets."""
    was_active = membership.state == State.ACTIVE
    membership.state = state
    membership.left_at = now
    membership.waitlisted_at = None
    membership.save(update_fields=["state", "left_at", "waitlisted_at"])
    permissions.revoke_all(user=membership.user, circle=membership.circle)
    realtime.broadcast_on_commit(
        realtime.user_group(membership.user_id),
        events.access_revoked(membership.circle_id),
    )
    if was_active:
        realtime.broadcast_on_commit(
            realtime.circle_group(membership.circle_id),
            events.members_changed(membership.circle_id),
        )


def membership_leave(*, user, circle: Circle) -> Membership:
    with transaction.atomic():
        circle = lock_circle(circle)
        membership = (
            Membership.objects.select_for_update()
            .filter(circle=circle, user=user)
            .exclude(state__in=[State.LEFT, State.BANNED])
            .first()
        )
        if membership is None:
            raise PermissionDenied("You are not in this circle.")
        if membership.state == State.ACTIVE and is_last_host(membership):
            raise ValidationError(
                "You are this circle's only host: make someone else host first."
            )
        now = timezone.now()
        end_membership(membership, state=State.LEFT, now=now)
        membership.role = Role.MEMBER
        membership.save(update_fields=["role"])
        fill_free_seats(circle, now=now)
        return membership


def membership_request_invite(*, user, circle: Circle) -> Membership:
    """Ask the hosts of a listed invite-only circle for an invite. Approving the
    request sends the person the invite link (membership_approve)."""
    permissions.allow_see_circle(user, circle)
    if not user.is_authenticated:
        raise PermissionDenied("Log in to ask for an invite.")
    if circle.join_policy != Circle.JoinPolicy.INVITE:
        raise ValidationError("This circle takes no invites: you can join or ask to.")
    with transaction.atomic():
        membership, _ = Membership.objects.select_for_update().get_or_create(
            circle=circle, user=user, defaults={"state": State.LEFT}
        )
        if membership.state == State.BANNED:
            raise PermissionDenied("You cannot join this circle.")
        if membership.state != State.LEFT:
            return membership  # already in, or already asked
        _limit_join_requests(user, circle)
        membership.state = State.PENDING
        membership.requested_at = timezone.now()
        membership.save(update_fields=["state", "requested_at"])
        _tell_keepers(
            circle, f"{user.display_name} asks for an invite to {circle.name}."
        )
        return membership


def membership_approve(*, actor, circle: Circle, user_id: int) -> Membership:
    permissions.allow_moderate_circle(actor, circle)
    with transaction.atomic():
        circle = lock_circle(circle)
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "circle")
            .filter(circle=circle, user_id=user_id, state=State.PENDING)
            .first()
        )
        if membership is None:
            raise ValidationError("There is no pending request from that person.")
        if circle.join_policy == Circle.JoinPolicy.INVITE:
            return _send_invite(membership, circle=circle)
        if _active_count(circle) >= circle.capacity:
            raise ValidationError(
                f"The circle is full ({circle.capacity} members): "
                "make room or raise its capacity first."
            )
        _activate(membership, now=timezone.now())
        notification_send(
            recipient=membership.user,
            kind="membership",
            text=f"Your request to join {circle.name} was approved: welcome.",
            url=circle.get_absolute_url(),
            circle=circle,
        )
        return membership


def _send_invite(membership: Membership, *, circle: Circle) -> Membership:
    """An approved invite request: the person gets the link, and joins by it,
    accepting the guidelines like anyone holding an invite."""
    membership.state = State.LEFT
    membership.save(update_fields=["state"])
    notification_send(
        recipient=membership.user,
        kind="membership",
        text=f"A host of {circle.name} sent you an invite: open it to join.",
        url=reverse("circles:invite", args=[circle.slug, circle.invite_token]),
        circle=circle,
    )
    return membership


def membership_decline(*, actor, circle: Circle, user_id: int) -> Membership:
    permissions.allow_moderate_circle(actor, circle)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(circle=circle, user_id=user_id, state=State.PENDING)
            .first()
        )
        if membership is None:
            raise ValidationError("There is no pending request from that person.")
        membership.state = State.LEFT
        membership.save(update_fields=["state"])
        notification_send(
            recipient=membership.user,
            kind="membership",
            text=f"Your request to join {circle.name} was not accepted this time. "
            "Other circles are open to you.",
            url=reverse("circles:list"),
            circle=circle,
        )
        return membership


def membership_set_role(
    *, actor, circle: Circle, user_id: int, role: str
) -> Membership:
    """Hosts appoint hosts and moderators, or make someone a member again. A circle
    may have several hosts; the last host cannot stop being one or leave (hosts and
    moderators step down in step_down.py)."""
    permissions.allow_manage_circle(actor, circle)
    if role not in (Role.HOST, Role.MODERATOR, Role.MEMBER):
        raise ValidationError({"role": CHOOSE_ROLE})
    with transaction.atomic():
        circle = lock_circle(circle)  # two hosts stepping down at once: one waits
        membership = active_membership(circle, user_id)
        if membership is None:
            raise ValidationError("That person is not a member of this circle.")
        if membership.role == Role.HOST and membership.user_id != actor.pk:
            raise ValidationError(
                "Another host's role is theirs to change: they can step down "
                "themselves."
            )
        if role != Role.HOST and is_last_host(membership):
            raise ValidationError(
                "You are this circle's only host: make someone else host first."
            )
        role_apply(membership, role)
        return membership


def active_membership(circle: Circle, user_id: int) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .select_related("user", "circle")
        .filter(circle=circle, user_id=user_id, state=State.ACTIVE)
        .first()
    )


def is_last_host(membership: Membership) -> bool:
    """Is this the circle's only active host? (The caller holds the circle's lock.)"""
    if membership.role != Role.HOST:
        return False
    return not (
        Membership.objects.filter(
            circle_id=membership.circle_id, role=Role.HOST, state=State.ACTIVE
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def role_apply(membership: Membership, role: str) -> None:
    """The one way a role changes: the row, guardian's permissions (which forgets
    the person's cached answers), and open pages told after commit."""
    membership.role = role
    membership.save(update_fields=["role"])
    permissions.grant_role(user=membership.user, circle=membership.circle, role=role)
    realtime.broadcast_on_commit(
        realtime.circle_group(membership.circle_id),
        events.members_changed(membership.circle_id),
    )


def invite_link_reset(*, actor, circle: Circle) -> Circle:
    """Revoke the current invite link and make a new one."""
    permissions.allow_manage_circle(actor, circle)
    circle.invite_token = new_invite_token()
    circle.save(update_fields=["invite_token"])
    return circle
