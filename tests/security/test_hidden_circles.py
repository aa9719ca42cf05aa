"""Hidden circles leave no trace: not in the slug of a new circle, not in the work a
page does (measured in queries, not in time), not through a person's id."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles.memberships import services as membership_services
from circles.models import Circle
from moderation.models import Ignore

from ..factories import CircleFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


def test_a_new_circles_slug_does_not_reveal_a_hidden_one(host):
    CircleFactory(name="Harbour Private", slug="harbour-private", visibility="unlisted")
    made = membership_services.circle_create(creator=host, name="Harbour Private")
    alone = membership_services.circle_create(creator=host, name="Quiet Cove")
    pattern = r"{}-[0-9a-f]{{6}}"
    assert re.fullmatch(pattern.format("harbour-private"), made.slug)
    assert re.fullmatch(pattern.format("quiet-cove"), alone.slug)


def test_creating_costs_the_same_whether_or_not_a_hidden_circle_holds_the_name(host):
    CircleFactory(name="Harbour Private", slug="harbour-private", visibility="unlisted")
    counts = []
    for name in ("Harbour Private", "Open Meadow"):
        with CaptureQueriesContext(connection) as queries:
            membership_services.circle_create(creator=host, name=name)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_hidden_circle_and_a_missing_one_cost_the_same_queries(client, outsider):
    CircleFactory(name="Secret", slug="secret-place", visibility="unlisted")
    client.force_login(outsider)
    client.get("/circles/")  # what every page keeps in the cache (the header's count)
    counts = []
    for slug in ("secret-place", "no-such-place"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/circles/{slug}/").status_code == 404
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_ignoring_someone_you_share_no_circle_with_is_a_404_like_a_missing_id(
    client, circle
):
    stranger = UserFactory(display_name="Far Away")
    reader = UserFactory(display_name="Reader")
    add_member(circle, reader)
    client.force_login(reader)
    response = client.post(f"/members/{stranger.pk}/ignore/", {"next": "/circles/"})
    missing = client.post("/members/999999/ignore/", {"next": "/circles/"})
    assert response.status_code == missing.status_code == 404
    assert "Far Away" not in response.content.decode()
    assert not Ignore.objects.exists()
    neighbour = UserFactory(display_name="Near By")
    add_member(circle, neighbour)
    assert client.post(f"/members/{neighbour.pk}/ignore/").status_code == 302
    assert Ignore.objects.filter(user=reader, ignored=neighbour).exists()
    assert Circle.objects.count() == 1


def test_banned_and_departed_members_hear_nothing_more_of_the_circle(
    client, circle, host, moderator
):
    from circles.memberships import sanctions
    from circles.memberships import services as membership_services
    from circles.threads import services as thread_services
    from community.notifications.models import Notification

    banned = UserFactory(display_name="Bea Banned")
    departed = UserFactory(display_name="Dee Departed")
    for person in (banned, departed):
        add_member(circle, person)
    asks = {
        person: thread_services.thread_create(
            author=person, circle=circle, title="Help", body="please"
        ).thread
        for person in (banned, departed)
    }
    sanctions.membership_ban(actor=moderator, circle=circle, user_id=banned.pk)
    membership_services.membership_leave(user=departed, circle=circle)
    for thread in asks.values():
        thread_services.post_reply(author=host, thread=thread, body="I hear you")
    assert not Notification.objects.filter(
        recipient__in=[banned, departed], kind="reply"
    ).exists()
    # The ban notice itself still reaches the person it is about.
    assert Notification.objects.filter(recipient=banned, kind="moderation").exists()


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "http://127.0.0.1:9999/x"],
)
def test_moderation_posts_never_redirect_off_the_site(
    client, circle, host, moderator, target
):
    from circles.threads import services as thread_services

    thread = thread_services.thread_create(
        author=host, circle=circle, title="Lockable", body="text"
    ).thread
    client.force_login(moderator)
    response = client.post(
        f"/moderation/thread/{thread.pk}/lock/", {"next": target, "reason": "calm"}
    )
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    kept = client.post(f"/moderation/thread/{thread.pk}/unlock/", {"next": "/circles/"})
    assert kept["Location"] == "/circles/"
