import re

import pytest

from circles.memberships import sanctions
from circles.models import Circle, Membership
from tests.factories import CircleFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

CIRCLE_GETS = ["/circles/{slug}/members/"]
CIRCLE_POSTS = [
    "/circles/{slug}/join/",
    "/circles/{slug}/leave/",
    "/circles/{slug}/members/{uid}/approve/",
    "/circles/{slug}/members/{uid}/role/",
    "/circles/{slug}/members/{uid}/mute/",
    "/circles/{slug}/members/{uid}/ban/",
    "/circles/{slug}/members/{uid}/unban/",
]


def without_csrf(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def test_signup_logs_in_and_redirects(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "display_name": "Quiet Fern",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/circles/"
    page = client.get("/circles/")
    assert "Quiet Fern" in page.content.decode()
    assert "newcomer" not in page.content.decode()


def test_signup_refuses_a_taken_display_name_and_keeps_the_rest(client, member):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "second",
            "display_name": member.display_name.upper(),
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "That display name is taken." in html and 'value="second"' in html


def test_create_circle_makes_creator_host(client, outsider):
    client.force_login(outsider)
    response = client.post(
        "/circles/new/",
        {
            "name": "Gentle Steps",
            "description": "For people rebuilding trust.",
            "join_policy": "open",
            "visibility": "listed",
            "capacity": "10",
        },
    )
    assert response.status_code == 302
    circle = Circle.objects.get(name="Gentle Steps")
    assert response["Location"] == f"/circles/{circle.slug}/"
    assert Membership.objects.get(circle=circle, user=outsider).role == "host"


def test_create_circle_rejects_capacity_out_of_range(client, outsider):
    client.force_login(outsider)
    response = client.post(
        "/circles/new/",
        {
            "name": "Too Big",
            "join_policy": "open",
            "visibility": "listed",
            "capacity": "51",
        },
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Circle.objects.filter(name="Too Big").exists()


def test_outsider_sees_description_and_join_but_no_content(client, circle, outsider):
    client.force_login(outsider)
    html = client.get(f"/circles/{circle.slug}/").content.decode()
    assert circle.guidelines in html and "Join the circle" in html
    assert 'id="chat-log"' not in html


def test_member_sees_the_circle_panels(client, circle, member):
    client.force_login(member)
    html = client.get(f"/circles/{circle.slug}/").content.decode()
    assert 'id="chat-log"' in html and 'id="resources"' in html


def test_join_without_guidelines_shows_a_field_error(client, circle, outsider):
    client.force_login(outsider)
    response = client.post(f"/circles/{circle.slug}/join/", {})
    assert response.status_code == 400
    assert "Please read and accept" in response.content.decode()


def test_join_full_circle_says_waitlist_clearly(client, host, outsider):
    circle = CircleFactory(host=host, capacity=2)
    add_member(circle, UserFactory())
    client.force_login(outsider)
    response = client.post(
        f"/circles/{circle.slug}/join/", {"accept_guidelines": "on"}, follow=True
    )
    assert "waitlist" in response.content.decode()


def test_unlisted_circle_is_a_404_at_every_url_for_outsiders(
    client, private_circle, outsider, member
):
    client.force_login(outsider)
    missing = client.get("/circles/no-such-circle/")
    for url in ["/circles/{slug}/", *CIRCLE_GETS]:
        response = client.get(url.format(slug=private_circle.slug))
        assert response.status_code == 404, url
        assert without_csrf(response.content) == without_csrf(missing.content)
    for url in CIRCLE_POSTS:
        response = client.post(url.format(slug=private_circle.slug, uid=member.id), {})
        assert response.status_code == 404, url
    assert private_circle.name not in client.get("/circles/").content.decode()


def test_banned_member_gets_404_everywhere(client, circle, host, member):

    sanctions.membership_ban(actor=host, circle=circle, user_id=member.id)
    client.force_login(member)
    assert client.get(f"/circles/{circle.slug}/").status_code == 404
    assert client.get(f"/circles/{circle.slug}/members/").status_code == 404


def test_invite_link_shows_and_joins_hidden_circle(client, private_circle, outsider):
    client.force_login(outsider)
    url = f"/circles/{private_circle.slug}/invite/{private_circle.invite_token}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"accept_guidelines": "on"})
    assert response.status_code == 302
    assert client.get(f"/circles/{private_circle.slug}/").status_code == 200


def test_wrong_invite_token_is_a_404(client, private_circle, outsider):
    client.force_login(outsider)
    assert client.get(f"/circles/{private_circle.slug}/invite/nope/").status_code == 404


def test_members_page_shows_display_names_and_roles_not_usernames(
    client, circle, member, host
):
    client.force_login(member)
    html = client.get(f"/circles/{circle.slug}/members/").content.decode()
    assert f'data-user-id="{host.id}"' in html and "Hazel Host" in html
    assert host.username not in html and host.email not in html
    assert circle.invite_token not in html  # only hosts and moderators see the link


def test_moderator_sees_pending_waitlist_and_invite_link(client, circle, moderator):
    client.force_login(moderator)
    html = client.get(f"/circles/{circle.slug}/members/").content.decode()
    assert (
        "Requests to join" in html
        and "Waitlist" in html
        and circle.invite_token in html
    )


def test_host_changes_role_through_the_form(client, circle, host, member):
    client.force_login(host)
    client.post(
        f"/circles/{circle.slug}/members/{member.id}/role/", {"role": "moderator"}
    )
    assert Membership.objects.get(circle=circle, user=member).role == "moderator"


def test_mute_and_ban_through_the_forms_are_audited(client, circle, moderator, member):
    from moderation.models import ModerationAction

    client.force_login(moderator)
    client.post(
        f"/circles/{circle.slug}/members/{member.id}/mute/",
        {"minutes": "15", "reason": "cooling off"},
    )
    client.post(
        f"/circles/{circle.slug}/members/{member.id}/ban/", {"reason": "threats"}
    )
    actions = list(ModerationAction.objects.values_list("action", "reason"))
    assert ("mute", "cooling off") in actions and ("ban", "threats") in actions
    assert Membership.objects.get(circle=circle, user=member).state == "banned"


def test_mute_with_bad_minutes_says_so(client, circle, moderator, member):
    client.force_login(moderator)
    response = client.post(
        f"/circles/{circle.slug}/members/{member.id}/mute/",
        {"minutes": "0"},
        follow=True,
    )
    assert "minutes" in response.content.decode().lower()
    assert Membership.objects.get(circle=circle, user=member).muted_until is None


def test_member_list_query_count_is_constant(client, circle, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    counts = []
    for _ in range(2):
        client.get(f"/circles/{circle.slug}/members/")  # warms the header's count
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/circles/{circle.slug}/members/").status_code == 200
        counts.append(len(queries))
        for _ in range(20):
            add_member(circle, UserFactory())
    assert counts[0] == counts[1] <= 14


def test_seed_demo_makes_a_lived_in_circle_once(db):
    from django.core.management import call_command

    from circles.models import ChatMessage, Circle, Thread

    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))
    circle = Circle.objects.get(slug="demo-circle")
    assert circle.memberships.filter(state="active").count() == 4
    assert Thread.objects.filter(circle=circle).count() == 2
    assert ChatMessage.objects.filter(circle=circle).count() == 2
