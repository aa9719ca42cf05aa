"""Muted and banned people stay within reach (issue 26, moderators 3): GET
/circles/<slug>/members/?show=sanctioned lists them for hosts and moderators, each
with Unmute or Unban, and the members page links to it with a count."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from circles.memberships import sanctions
from circles.models import Membership
from moderation.models import ModerationAction
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


def members_url(circle):
    return reverse("circles:members", args=[circle.slug])


def sanctioned_url(circle):
    return members_url(circle) + "?show=sanctioned"


@pytest.fixture
def muted(circle, host):
    person = UserFactory(display_name="Mo Muted", email="mo.private@example.org")
    add_member(circle, person)
    sanctions.membership_mute(
        actor=host, circle=circle, user_id=person.pk, minutes=60, reason="Too sharp"
    )
    return person


@pytest.fixture
def banned(circle, host):
    person = UserFactory(display_name="Bo Banned", email="bo.private@example.org")
    add_member(circle, person)
    sanctions.membership_ban(
        actor=host, circle=circle, user_id=person.pk, reason="Threats to members"
    )
    return person


@pytest.mark.parametrize(
    "who,status", [("host", 200), ("moderator", 200), ("staff", 200), ("member", 403)]
)
def test_who_sees_the_list(
    client, circle, host, moderator, member, staff, muted, banned, who, status
):
    people = {"host": host, "moderator": moderator, "member": member, "staff": staff}
    client.force_login(people[who])
    response = client.get(sanctioned_url(circle))
    assert response.status_code == status
    if status != 200:
        assert "Bo Banned" not in response.content.decode()


def test_the_banned_person_and_outsiders_get_the_404_of_a_missing_circle(
    client, private_circle, host, outsider
):
    person = UserFactory()
    add_member(private_circle, person)
    sanctions.membership_ban(actor=host, circle=private_circle, user_id=person.pk)
    for visitor in (person, outsider):
        client.force_login(visitor)
        assert client.get(sanctioned_url(private_circle)).status_code == 404


def test_the_list_holds_the_muted_and_the_banned_with_names_only(
    client, circle, moderator, member, muted, banned
):
    client.force_login(moderator)
    html = client.get(sanctioned_url(circle)).content.decode()
    assert f'data-sanctioned="{muted.pk}" data-sanction="mute"' in html
    assert f'data-sanctioned="{banned.pk}" data-sanction="ban"' in html
    assert f'data-sanctioned="{member.pk}"' not in html
    assert "Too sharp" in html and "Threats to members" in html
    assert f'action="{reverse("circles:unmute", args=[circle.slug, muted.pk])}"' in html
    assert f'action="{reverse("circles:unban", args=[circle.slug, banned.pk])}"' in html
    assert "@example.org" not in html and "mo.private" not in html


def test_a_banned_person_is_gone_from_the_list_of_members_but_reachable_here(
    client, circle, moderator, muted, banned
):
    client.force_login(moderator)
    members = client.get(members_url(circle)).content.decode()
    assert f'data-user-id="{banned.pk}"' not in members
    assert f'href="{sanctioned_url(circle)}"' in members
    assert "Muted and banned (2)" in members


def test_a_plain_member_sees_no_link(client, circle, member, banned):
    client.force_login(member)
    page = client.get(members_url(circle)).content.decode()
    assert "Muted and banned" not in page and "?show=sanctioned" not in page


def test_an_ended_mute_is_not_listed(client, circle, host, muted):
    Membership.objects.filter(circle=circle, user=muted).update(muted_until=None)
    client.force_login(host)
    html = client.get(sanctioned_url(circle)).content.decode()
    assert "Nobody in this circle is muted or banned." in html
    assert "Muted and banned (0)" in client.get(members_url(circle)).content.decode()


def test_unban_from_the_list_comes_back_to_it_with_an_audit_line(
    client, circle, moderator, banned
):
    client.force_login(moderator)
    response = client.post(
        reverse("circles:unban", args=[circle.slug, banned.pk]),
        {"next": sanctioned_url(circle)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == sanctioned_url(circle)
    html = response.content.decode()
    assert "Ban lifted: they can come back the way anyone joins this circle." in html
    assert f'data-sanctioned="{banned.pk}"' not in html
    assert Membership.objects.get(circle=circle, user=banned).state == "left"
    line = ModerationAction.objects.filter(action="unban").get()
    assert (line.actor, line.target_user) == (moderator, banned)


def test_unmute_from_the_list_comes_back_to_it_with_an_audit_line(
    client, circle, host, muted
):
    client.force_login(host)
    response = client.post(
        reverse("circles:unmute", args=[circle.slug, muted.pk]),
        {"next": sanctioned_url(circle)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == sanctioned_url(circle)
    assert f'data-sanctioned="{muted.pk}"' not in response.content.decode()
    assert Membership.objects.get(circle=circle, user=muted).muted_until is None
    line = ModerationAction.objects.filter(action="unmute").get()
    assert (line.actor, line.target_user) == (host, muted)


def test_a_next_elsewhere_is_ignored(client, circle, host, muted):
    client.force_login(host)
    response = client.post(
        reverse("circles:unmute", args=[circle.slug, muted.pk]),
        {"next": "https://elsewhere.example/"},
    )
    assert response["Location"] == members_url(circle)


@pytest.mark.parametrize("action", ["unmute", "unban"])
def test_lifting_needs_the_csrf_token(circle, host, muted, banned, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(host)
    person = muted if action == "unmute" else banned
    response = client.post(reverse(f"circles:{action}", args=[circle.slug, person.pk]))
    assert response.status_code == 403
    assert not ModerationAction.objects.filter(action=action).exists()


def test_the_list_asks_the_same_number_of_queries_for_more_people(
    client, circle, host, muted, banned
):
    client.force_login(host)
    client.get(sanctioned_url(circle))
    with CaptureQueriesContext(connection) as few:
        client.get(sanctioned_url(circle))
    for _ in range(3):
        person = UserFactory()
        add_member(circle, person)
        sanctions.membership_ban(actor=host, circle=circle, user_id=person.pk)
    with CaptureQueriesContext(connection) as many:
        html = client.get(sanctioned_url(circle)).content.decode()
    assert html.count("data-sanctioned=") == 5
    assert len(many) == len(few)
