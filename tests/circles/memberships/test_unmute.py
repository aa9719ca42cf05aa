"""Lifting a mute before it ends: POST /circles/<slug>/members/<user_id>/unmute/."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from circles import permissions
from circles.memberships import sanctions
from circles.models import Membership
from community.notifications.models import Notification
from moderation.models import ModerationAction
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def muted(circle, host, member):
    sanctions.membership_mute(actor=host, circle=circle, user_id=member.id, minutes=30)
    return member


def _unmute_url(circle, user):
    return reverse("circles:unmute", args=[circle.slug, user.pk])


def test_a_moderator_lifts_a_mute_and_the_member_may_write_again(
    client, circle, moderator, muted
):
    client.force_login(moderator)
    response = client.post(_unmute_url(circle, muted), follow=True)
    assert "Mute lifted: they can write again." in response.content.decode()
    assert Membership.objects.get(circle=circle, user=muted).muted_until is None
    permissions.forget_cached_perms(muted)
    assert permissions.can_post_in_circle(muted, circle)
    line = ModerationAction.objects.filter(circle=circle).order_by("-pk").first()
    assert (line.action, line.target_user_id, line.actor_id) == (
        ModerationAction.Action.UNMUTE,
        muted.pk,
        moderator.pk,
    )
    notice = Notification.objects.filter(recipient=muted).order_by("-pk").first()
    assert notice.text == (
        "A moderator of Morning Light lifted your mute: you can write there again."
    )


def test_a_plain_member_is_refused_and_the_mute_stays(client, circle, muted):
    person = UserFactory()
    add_member(circle, person)
    client.force_login(person)
    before = Membership.objects.get(circle=circle, user=muted).muted_until
    assert client.post(_unmute_url(circle, muted)).status_code == 403
    assert Membership.objects.get(circle=circle, user=muted).muted_until == before


def test_anyone_else_gets_the_404_of_a_missing_circle(client, private_circle, host):
    person = UserFactory()
    add_member(private_circle, person)
    sanctions.membership_mute(
        actor=host, circle=private_circle, user_id=person.id, minutes=30
    )
    client.force_login(UserFactory())
    assert client.post(_unmute_url(private_circle, person)).status_code == 404
    assert Membership.objects.get(circle=private_circle, user=person).muted_until


def test_the_members_page_offers_unmute_beside_a_muted_member_only(
    client, circle, host, muted, moderator
):
    client.force_login(host)
    page = client.get(reverse("circles:members", args=[circle.slug])).content.decode()
    assert f'action="{_unmute_url(circle, muted)}"' in page
    assert f'action="{_unmute_url(circle, moderator)}"' not in page


def test_unmuting_someone_not_muted_says_so(circle, host, member):
    with pytest.raises(ValidationError, match="not muted"):
        sanctions.membership_unmute(actor=host, circle=circle, user_id=member.id)
