import re
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.http import Http404

from circles import permissions
from circles.memberships import sanctions
from circles.memberships import services as membership_services
from circles.memberships.services import JoinOutcome
from circles.models import Circle, Membership
from community.ratelimit_config import Rate
from tests.factories import CircleFactory, UserFactory, add_member

State = Membership.State
pytestmark = pytest.mark.django_db


def perms_of(user, circle):
    permissions.forget_cached_perms(user)
    return {p for p in permissions.ALL_PERMS if p in permissions._perms(user, circle)}


def test_creator_becomes_host_with_every_permission(host):
    circle = membership_services.circle_create(
        creator=host, name="Safe Harbour", capacity=8
    )
    membership = Membership.objects.get(circle=circle, user=host)
    assert (membership.role, membership.state) == ("host", "active")
    assert membership.guidelines_accepted_at is not None
    assert perms_of(host, circle) == set(permissions.ALL_PERMS)
    assert re.fullmatch(r"safe-harbour-[0-9a-f]{6}", circle.slug)


def test_join_open_circle_grants_member_permissions(circle, outsider):
    membership, outcome = membership_services.membership_join(
        user=outsider, circle=circle, accept_guidelines=True
    )
    assert outcome == JoinOutcome.JOINED
    assert membership.state == State.ACTIVE and membership.guidelines_accepted_at
    assert perms_of(outsider, circle) == {"view_circle", "post_in_circle"}


def test_join_requires_accepting_guidelines(circle, outsider):
    with pytest.raises(ValidationError) as exc:
        membership_services.membership_join(
            user=outsider, circle=circle, accept_guidelines=False
        )
    assert "guidelines" in str(exc.value)
    assert not Membership.objects.filter(user=outsider).exists()


def test_request_circle_makes_a_pending_request_then_approval_lets_in(host, outsider):
    circle = CircleFactory(host=host, join_policy=Circle.JoinPolicy.REQUEST)
    membership, outcome = membership_services.membership_join(
        user=outsider, circle=circle, accept_guidelines=True
    )
    assert outcome == JoinOutcome.PENDING and membership.state == State.PENDING
    assert perms_of(outsider, circle) == set()
    membership_services.membership_approve(
        actor=host, circle=circle, user_id=outsider.id
    )
    membership.refresh_from_db()
    assert membership.state == State.ACTIVE
    assert perms_of(outsider, circle) == {"view_circle", "post_in_circle"}


def test_member_cannot_approve(host, member, circle, outsider):
    circle.join_policy = Circle.JoinPolicy.REQUEST
    circle.save()
    membership_services.membership_join(
        user=outsider, circle=circle, accept_guidelines=True
    )
    with pytest.raises(PermissionDenied):
        membership_services.membership_approve(
            actor=member, circle=circle, user_id=outsider.id
        )


def test_invite_only_circle_needs_the_link(private_circle, outsider):
    with pytest.raises(Http404):
        membership_services.membership_join(
            user=outsider, circle=private_circle, accept_guidelines=True
        )
    _m, outcome = membership_services.membership_join(
        user=outsider,
        circle=private_circle,
        accept_guidelines=True,
        invite_token=private_circle.invite_token,
    )
    assert outcome == JoinOutcome.JOINED


def test_reset_invite_link_revokes_the_old_one(private_circle, host, outsider):
    old = private_circle.invite_token
    membership_services.invite_link_reset(actor=host, circle=private_circle)
    assert private_circle.invite_token != old
    with pytest.raises(Http404):
        permissions.allow_see_circle(outsider, private_circle, invite_token=old)


def test_leave_revokes_permissions(circle, member):
    membership_services.membership_leave(user=member, circle=circle)
    assert Membership.objects.get(user=member, circle=circle).state == State.LEFT
    assert perms_of(member, circle) == set()


def test_only_host_cannot_leave(circle, host):
    with pytest.raises(ValidationError):
        membership_services.membership_leave(user=host, circle=circle)


def test_left_member_can_rejoin(circle, member):
    membership_services.membership_leave(user=member, circle=circle)
    _m, outcome = membership_services.membership_join(
        user=member, circle=circle, accept_guidelines=True
    )
    assert outcome == JoinOutcome.JOINED


def test_full_circle_puts_people_on_the_waitlist_and_lets_them_in_in_order(host):
    circle = CircleFactory(host=host, capacity=2)
    first = UserFactory()
    membership_services.membership_join(
        user=first, circle=circle, accept_guidelines=True
    )
    waiting = [UserFactory() for _ in range(2)]
    for user in waiting:
        _m, outcome = membership_services.membership_join(
            user=user, circle=circle, accept_guidelines=True
        )
        assert outcome == JoinOutcome.WAITLISTED
        assert perms_of(user, circle) == set()
    membership_services.membership_leave(user=first, circle=circle)
    states = {
        u.id: Membership.objects.get(user=u, circle=circle).state for u in waiting
    }
    assert states == {waiting[0].id: State.ACTIVE, waiting[1].id: State.WAITLISTED}
    assert perms_of(waiting[0], circle) == {"view_circle", "post_in_circle"}


def test_approve_is_refused_when_circle_is_full(host):
    circle = CircleFactory(host=host, capacity=2, join_policy=Circle.JoinPolicy.REQUEST)
    add_member(circle, UserFactory())
    asker = UserFactory()
    membership_services.membership_join(
        user=asker, circle=circle, accept_guidelines=True
    )
    with pytest.raises(ValidationError, match="full"):
        membership_services.membership_approve(
            actor=host, circle=circle, user_id=asker.id
        )


def test_host_appoints_and_demotes_a_moderator(circle, host, member):
    membership_services.membership_set_role(
        actor=host, circle=circle, user_id=member.id, role="moderator"
    )
    assert perms_of(member, circle) == {
        "view_circle",
        "post_in_circle",
        "moderate_circle",
    }
    membership_services.membership_set_role(
        actor=host, circle=circle, user_id=member.id, role="member"
    )
    assert perms_of(member, circle) == {"view_circle", "post_in_circle"}


def test_moderator_cannot_change_roles(circle, moderator, member):
    with pytest.raises(PermissionDenied):
        membership_services.membership_set_role(
            actor=moderator, circle=circle, user_id=member.id, role="moderator"
        )


def test_ban_revokes_everything_and_frees_the_seat(host):
    circle = CircleFactory(host=host, capacity=2)
    target, waiting = UserFactory(), UserFactory()
    add_member(circle, target)
    membership_services.membership_join(
        user=waiting, circle=circle, accept_guidelines=True
    )
    sanctions.membership_ban(
        actor=host, circle=circle, user_id=target.id, reason="harm"
    )
    assert Membership.objects.get(user=target, circle=circle).state == State.BANNED
    assert perms_of(target, circle) == set()
    with pytest.raises(Http404):
        permissions.allow_see_circle(target, circle)
    assert Membership.objects.get(user=waiting, circle=circle).state == State.ACTIVE
    with pytest.raises(Http404):
        membership_services.membership_join(
            user=target, circle=circle, accept_guidelines=True
        )


def test_mute_keeps_reading_but_stops_posting(circle, host, member):
    sanctions.membership_mute(actor=host, circle=circle, user_id=member.id, minutes=30)
    permissions.forget_cached_perms(member)
    assert permissions.can_read_circle(member, circle)
    assert not permissions.can_post_in_circle(member, circle)
    with pytest.raises(PermissionDenied, match="muted"):
        permissions.allow_post_in_circle(member, circle)


def test_moderator_cannot_ban_a_host_or_another_moderator(circle, moderator, host):
    other = UserFactory()
    add_member(circle, other, role=Membership.Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        sanctions.membership_ban(actor=moderator, circle=circle, user_id=host.id)
    with pytest.raises(PermissionDenied):
        sanctions.membership_ban(actor=moderator, circle=circle, user_id=other.id)


def test_moderator_of_another_circle_has_no_power_here(circle, member, other_moderator):
    with pytest.raises(Exception) as exc:
        sanctions.membership_mute(
            actor=other_moderator, circle=circle, user_id=member.id, minutes=5
        )
    assert exc.type.__name__ in {"Http404", "PermissionDenied"}


def test_global_permissions_never_grant_object_access(circle, outsider):
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(
        *Permission.objects.filter(codename__endswith="_circle")
    )
    outsider.is_superuser = True
    outsider.save()
    assert not permissions.can_read_circle(outsider, circle)
    assert not permissions.can_post_in_circle(outsider, circle)


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_seat_one_gets_it(postgres):
    host = UserFactory()
    circle = CircleFactory(host=host, capacity=2)
    racers = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    outcomes = {}

    def join(user):
        try:
            barrier.wait()
            _m, outcome = membership_services.membership_join(
                user=user, circle=circle, accept_guidelines=True
            )
            outcomes[user.id] = outcome
        finally:
            close_old_connections()

    threads = [threading.Thread(target=join, args=(u,)) for u in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == [JoinOutcome.JOINED, JoinOutcome.WAITLISTED]
    assert Membership.objects.filter(circle=circle, state=State.ACTIVE).count() == 2


def test_creating_circles_is_rate_limited_and_keeps_the_form(client, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "CIRCLE_CREATE": Rate(2, 3600)}
    client.force_login(member)
    data = {"join_policy": "open", "visibility": "listed", "capacity": 12}
    codes = [
        client.post("/circles/new/", {**data, "name": f"Circle number {n}"})
        for n in range(3)
    ]
    assert [r.status_code for r in codes] == [302, 302, 429]
    assert "Circle number 2" in codes[2].content.decode()
    assert Circle.objects.filter(name__startswith="Circle number").count() == 2
