"""What a person is told about their place in a circle: true counts, the waitlist
before the click, and a word when a request is decided or a seat frees."""

import pytest

from circles.memberships import sanctions
from circles.memberships import services as membership_services
from circles.models import Membership
from community.notifications.models import Notification

from ...factories import CircleFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


def test_your_circles_shows_the_real_member_count_and_your_state(client, host):
    mine = CircleFactory(host=host, name="Five Here", capacity=12)
    for n in range(4):
        add_member(mine, UserFactory(display_name=f"Member {n}"))
    asking = CircleFactory(name="By Request", join_policy="request")
    full = CircleFactory(name="Full House", capacity=2)
    add_member(full, UserFactory(display_name="Seat Two"))
    viewer = UserFactory(display_name="Viewer")
    add_member(mine, viewer)
    membership_services.membership_join(
        user=viewer, circle=asking, accept_guidelines=True
    )
    membership_services.membership_join(
        user=viewer, circle=full, accept_guidelines=True
    )
    client.force_login(viewer)
    html = client.get("/circles/").content.decode()
    assert "6 of 12 members" in html  # host, four members, the viewer
    assert "2 of 2 members" in html
    assert "Request waiting for a host" in html and "On the waitlist" in html


def test_a_full_circle_says_waitlist_and_the_place_before_the_click(client, host):
    full = CircleFactory(host=host, name="Full House", capacity=2)
    add_member(full, UserFactory(display_name="Seat Two"))
    add_member(full, UserFactory(), state=Membership.State.WAITLISTED)
    visitor = UserFactory(display_name="Visitor")
    client.force_login(visitor)
    html = client.get(full.get_absolute_url()).content.decode()
    assert "Join the waitlist" in html
    assert "you will be number 2 on its waitlist" in html


def test_requests_decided_and_seats_freed_are_told(circle, host, moderator):
    circle.join_policy = "request"
    circle.save(update_fields=["join_policy"])
    asker = UserFactory(display_name="Asker")
    membership_services.membership_join(
        user=asker, circle=circle, accept_guidelines=True
    )
    told = Notification.objects.filter(
        kind="membership", text__contains="asked to join"
    )
    assert {n.recipient for n in told} == {host, moderator}
    membership_services.membership_approve(actor=host, circle=circle, user_id=asker.pk)
    assert Notification.objects.filter(
        recipient=asker, kind="membership", text__contains="approved"
    ).exists()

    other = UserFactory(display_name="Declined")
    membership_services.membership_join(
        user=other, circle=circle, accept_guidelines=True
    )
    membership_services.membership_decline(actor=host, circle=circle, user_id=other.pk)
    assert Notification.objects.filter(
        recipient=other, kind="membership", text__contains="not accepted"
    ).exists()


def test_a_freed_seat_tells_the_next_person_waiting(host):
    full = CircleFactory(host=host, name="Full House", capacity=2)
    seated = UserFactory(display_name="Seated")
    add_member(full, seated)
    waiting = UserFactory(display_name="Waiting")
    membership_services.membership_join(
        user=waiting, circle=full, accept_guidelines=True
    )
    membership_services.membership_leave(user=seated, circle=full)
    assert Notification.objects.filter(
        recipient=waiting, kind="membership", text__contains="seat came free"
    ).exists()


def test_a_banned_person_no_longer_finds_the_circle_listed(client, circle, moderator):
    person = UserFactory(display_name="Gone Now")
    add_member(circle, person)
    sanctions.membership_ban(
        actor=moderator, circle=circle, user_id=person.pk, reason="Repeated harm"
    )
    client.force_login(person)
    assert circle.name not in client.get("/circles/").content.decode()
    notice = Notification.objects.get(recipient=person, kind="moderation")
    assert circle.name in notice.text and "Repeated harm" in notice.text


def test_members_keep_the_guidelines_one_click_away(client, circle, member):
    client.force_login(member)
    html = client.get(circle.get_absolute_url()).content.decode()
    assert '<details class="circle-guidelines">' in html
    assert circle.guidelines.splitlines()[0][:30] in html


def test_a_listed_invite_only_circle_has_a_public_face_and_an_invite_path(
    client, host, private_circle
):
    listed = CircleFactory(
        host=host, name="Lantern Room", visibility="listed", join_policy="invite"
    )
    visitor = UserFactory(display_name="Curious")
    client.force_login(visitor)
    assert "Lantern Room" in client.get("/circles/").content.decode()
    assert "Quiet Harbour" not in client.get("/circles/").content.decode()
    page = client.get(listed.get_absolute_url()).content.decode()
    assert "Ask for an invite" in page and listed.guidelines[:20] in page
    client.post(f"/circles/{listed.slug}/ask-invite/")
    assert Notification.objects.filter(
        recipient=host, text__contains="asks for an invite"
    ).exists()
    membership_services.membership_approve(
        actor=host, circle=listed, user_id=visitor.pk
    )
    invite = Notification.objects.get(recipient=visitor, text__contains="invite")
    assert invite.url == f"/circles/{listed.slug}/invite/{listed.invite_token}/"
    client.post(invite.url, {"accept_guidelines": "on"})
    assert Membership.objects.get(circle=listed, user=visitor).state == "active"
    # An unlisted invite-only circle stays a 404 without its link.
    assert client.get(private_circle.get_absolute_url()).status_code == 404
