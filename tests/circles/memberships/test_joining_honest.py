"""Finding 13 (issue 26): joining says what is true. "Open to join" lists only circles
a person can join now; invite-only, by-request and full circles have their own
headings and circles already joined are not listed again; a logged-out visitor to an
invite-only circle is not told to log in to join; approving an invite request tells
the host an invite was sent; an invite link opened while logged out says what it is
on the log-in page and comes back to the invite afterwards."""

import re

import pytest

from circles.memberships import services
from circles.models import Circle, Membership
from tests.factories import CircleFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


def section(html: str, group: str) -> str:
    match = re.search(rf'<section [^>]*data-group="{group}".*?</section>', html, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def kinds(db):
    open_ = CircleFactory(name="Open Meadow", slug="open-meadow")
    full = CircleFactory(name="Full House", slug="full-house", capacity=1)
    request_ = CircleFactory(
        name="Ask First", slug="ask-first", join_policy=Circle.JoinPolicy.REQUEST
    )
    invite = CircleFactory(
        name="By Letter", slug="by-letter", join_policy=Circle.JoinPolicy.INVITE
    )
    return open_, full, request_, invite


def test_open_to_join_lists_only_what_one_can_join_now(client, kinds, circle, member):
    client.force_login(member)
    html = client.get("/circles/").content.decode()
    open_now = section(html, "open")
    assert "Open Meadow" in open_now
    for name in ("Full House", "Ask First", "By Letter", circle.name):
        assert name not in open_now, name
    assert "Full House" in section(html, "full")
    assert "Ask First" in section(html, "request")
    assert "By Letter" in section(html, "invite")
    # Her own circle is under "Your circles" only.
    assert html.count(f">{circle.name}</a>") == 1


def test_a_waitlisted_or_pending_circle_is_not_offered_again(client, kinds, member):
    open_, full, request_, invite = kinds
    add_member(request_, member, state=Membership.State.PENDING)
    client.force_login(member)
    html = client.get("/circles/").content.decode()
    assert "Ask First" not in section(html, "request")


def test_a_visitor_to_an_invite_only_circle_is_not_told_to_log_in_to_join(
    client, kinds
):
    invite = kinds[3]
    html = client.get(invite.get_absolute_url()).content.decode()
    assert "to join." not in html
    assert 'id="invite-only-note"' in html
    html = client.get(kinds[0].get_absolute_url()).content.decode()
    assert "sign up</a> to join." in html


def test_approving_an_invite_request_tells_the_host_an_invite_was_sent(client, host):
    private_circle = CircleFactory(
        host=host, name="By Letter", join_policy=Circle.JoinPolicy.INVITE
    )
    asker = UserFactory(display_name="Ada Asker")
    services.membership_request_invite(user=asker, circle=private_circle)
    client.force_login(host)
    response = client.post(
        f"/circles/{private_circle.slug}/members/{asker.pk}/approve/", follow=True
    )
    html = response.content.decode()
    assert "they are a member now" not in html
    assert "Ada Asker was sent an invite link" in html
    assert not Membership.objects.filter(
        circle=private_circle, user=asker, state=Membership.State.ACTIVE
    ).exists()


def test_an_invite_link_opened_logged_out_says_what_it_is_and_returns(
    client, private_circle
):
    link = f"/circles/{private_circle.slug}/invite/{private_circle.invite_token}/"
    response = client.get(link, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    html = response.content.decode()
    assert f"This link is an invite to {private_circle.name}." in html
    assert f'name="next" value="{link}"' in html
    person = UserFactory()
    response = client.post(
        "/accounts/login/",
        {
            "username": person.username,
            "password": "a-long-test-password-1",
            "next": link,
        },
    )
    assert response.status_code == 302 and response["Location"] == link


def test_a_wrong_invite_link_logged_out_is_a_404_like_a_missing_circle(
    client, private_circle
):
    response = client.get(f"/circles/{private_circle.slug}/invite/wrong-token/")
    assert response.status_code == 404
