"""A host can hand the role on, so a circle's only host is never stuck in it."""

import pytest

from circles.memberships import services as membership_services
from circles.models import Membership

pytestmark = pytest.mark.django_db


def role_of(user, circle) -> str:
    return Membership.objects.get(user=user, circle=circle).role


def test_a_host_makes_a_member_host_then_can_leave(client, circle, host, member):
    client.force_login(host)
    assert client.post(f"/circles/{circle.slug}/leave/").status_code == 302
    assert role_of(host, circle) == "host"  # the only host: refused, in words
    client.post(f"/circles/{circle.slug}/members/{member.pk}/role/", {"role": "host"})
    assert role_of(member, circle) == "host"
    client.post(f"/circles/{circle.slug}/leave/")
    assert Membership.objects.get(user=host, circle=circle).state == "left"


def test_the_last_host_cannot_step_down_but_one_of_two_can(circle, host, member):
    with pytest.raises(Exception, match="only host"):
        membership_services.membership_set_role(
            actor=host, circle=circle, user_id=host.pk, role="member"
        )
    membership_services.membership_set_role(
        actor=host, circle=circle, user_id=member.pk, role="host"
    )
    membership_services.membership_set_role(
        actor=host, circle=circle, user_id=host.pk, role="member"
    )
    assert role_of(host, circle) == "member" and role_of(member, circle) == "host"


def test_a_host_cannot_demote_another_host(circle, host, member):
    membership_services.membership_set_role(
        actor=host, circle=circle, user_id=member.pk, role="host"
    )
    with pytest.raises(Exception, match="theirs to change"):
        membership_services.membership_set_role(
            actor=host, circle=circle, user_id=member.pk, role="member"
        )


def test_moderators_cannot_appoint_hosts(client, circle, moderator, member):
    client.force_login(moderator)
    url = f"/circles/{circle.slug}/members/{member.pk}/role/"
    assert client.post(url, {"role": "host"}).status_code == 403
    assert role_of(member, circle) == "member"
