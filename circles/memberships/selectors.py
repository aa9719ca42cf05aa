"""Reads for circles and memberships: querysets with their joins inside, constant queries a page."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .. import permissions
from ..models import Circle, Membership

State = Membership.State


def _active_members():
    """The active member count of each circle, as a subquery: a count beside a
    filter on memberships would count only the filtered rows."""
    return Subquery(
        Membership.objects.filter(circle=OuterRef("pk"), state=State.ACTIVE)
        .order_by()
        .values("circle")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )


def circle_list_visible_to(*, user):
    """Listed public circles, each with its active member count; never one the
    viewer was banned from."""
    circles = (
        Circle.objects.filter(visibility=Circle.Visibility.LISTED)
        .annotate(member_count=Coalesce(_active_members(), 0))
        .order_by("name")
    )
    if user.is_authenticated:
        circles = circles.exclude(
            memberships__user=user, memberships__state=State.BANNED
        )
    return circles


def circle_list_groups(*, listed, states: dict) -> dict[str, list]:
    """The listed circles the viewer is not in, by how they could join now: `open`
    (a seat free), `full` (the waitlist), `request` (a host approves) and `invite`
    (an invite link). Circles the viewer is in, waits for or was banned from are left
    out (they are under "Your circles")."""
    groups: dict[str, list] = {"open": [], "full": [], "request": [], "invite": []}
    for circle in listed:
        if states.get(circle.pk) in (State.ACTIVE, State.PENDING, State.WAITLISTED):
            continue
        if circle.join_policy == Circle.JoinPolicy.INVITE:
            groups["invite"].append(circle)
        elif circle.join_policy == Circle.JoinPolicy.REQUEST:
            groups["request"].append(circle)
        elif circle.member_count >= circle.capacity:
            groups["full"].append(circle)
        else:
            groups["open"].append(circle)
    return groups


def circle_list_of_member(*, user):
    """The viewer's own circles (active, pending or waitlisted)."""
    if not user.is_authenticated:
        return Circle.objects.none()
    return (
        Circle.objects.filter(
            memberships__user=user,
            memberships__state__in=[State.ACTIVE, State.PENDING, State.WAITLISTED],
        )
        .annotate(member_count=Coalesce(_active_members(), 0))
        .order_by("name")
    )


def membership_states_of(*, user, circle_ids) -> dict[int, str]:
    if not user.is_authenticated:
        return {}
    return dict(
        Membership.objects.filter(
            user=user, circle_id__in=list(circle_ids)
        ).values_list("circle_id", "state")
    )


def member_list(*, circle: Circle):
    """Active members, hosts first, then moderators, then by display name."""
    role_order = {
        Membership.Role.HOST: 0,
        Membership.Role.MODERATOR: 1,
        Membership.Role.MEMBER: 2,
    }
    members = list(
        Membership.objects.filter(circle=circle, state=State.ACTIVE)
        .select_related("user")
        .order_by("user__display_name")
    )
    members.sort(key=lambda m: role_order[m.role])
    return members


def pending_requests(*, circle: Circle):
    return (
        Membership.objects.filter(circle=circle, state=State.PENDING)
        .select_related("user")
        .order_by("requested_at", "id")
    )


def waitlist(*, circle: Circle):
    return (
        Membership.objects.filter(circle=circle, state=State.WAITLISTED)
        .select_related("user")
        .order_by("waitlisted_at", "id")
    )


def waitlist_position(*, membership: Membership) -> int | None:
    if membership.state != State.WAITLISTED:
        return None
    return (
        Membership.objects.filter(
            circle_id=membership.circle_id,
            state=State.WAITLISTED,
            waitlisted_at__lt=membership.waitlisted_at,
        ).count()
        + 1
    )


def active_member_count(*, circle: Circle) -> int:
    return Membership.objects.filter(circle=circle, state=State.ACTIVE).count()


def seat_counts(*, circle: Circle) -> tuple[int, int]:
    """Active members and waitlisted people of `circle`, in one query."""
    counts = Membership.objects.filter(
        circle=circle, state__in=[State.ACTIVE, State.WAITLISTED]
    ).aggregate(
        active=Count("id", filter=Q(state=State.ACTIVE)),
        waiting=Count("id", filter=Q(state=State.WAITLISTED)),
    )
    return counts["active"], counts["waiting"]


def viewer_context(*, user, circle: Circle) -> dict:
    """What a circle page needs to know about the viewer, asked once."""
    membership = permissions.membership_of(user, circle)
    return {
        "membership": membership,
        "can_read": permissions.can_read_circle(user, circle),
        "can_post": permissions.can_post_in_circle(user, circle),
        "can_moderate": permissions.can_moderate_circle(user, circle),
        "can_manage": permissions.can_manage_circle(user, circle),
        "is_muted": permissions.is_muted(membership),
    }


def active_members_except(*, circle: Circle, user_id: int):
    return (
        Membership.objects.filter(circle=circle, state=State.ACTIVE)
        .exclude(user_id=user_id)
        .select_related("user")
    )


def hosts_and_moderators(*, circle: Circle) -> list:
    """The people who look after a circle's door: its active hosts and moderators."""
    return [
        m.user
        for m in Membership.objects.filter(
            circle=circle,
            state=State.ACTIVE,
            role__in=[Membership.Role.HOST, Membership.Role.MODERATOR],
        ).select_related("user")
    ]


def waitlist_length(*, circle: Circle) -> int:
    return Membership.objects.filter(circle=circle, state=State.WAITLISTED).count()


def _sanctioned_q(now) -> Q:
    """Banned people (gone from the member list) and members whose mute runs on."""
    return Q(state=State.BANNED) | Q(state=State.ACTIVE, muted_until__gt=now)


def sanctioned(*, circle: Circle, now) -> list[Membership]:
    """The circle's muted and banned people, by display name; each gets `sanction`
    (`ban` or `mute`). One query."""
    rows = list(
        Membership.objects.filter(_sanctioned_q(now), circle=circle)
        .select_related("user")
        .order_by("user__display_name", "id")
    )
    for membership in rows:
        membership.sanction = "ban" if membership.state == State.BANNED else "mute"
    return rows


def sanctioned_count(*, circle: Circle, now) -> int:
    return Membership.objects.filter(_sanctioned_q(now), circle=circle).count()
