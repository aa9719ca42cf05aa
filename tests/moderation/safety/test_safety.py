"""Personal safety: "I'm not OK right now" and ignoring someone."""

import pytest

from circles.models import ChatMessage, Post
from community.notifications.models import Notification
from moderation.models import Ignore

pytestmark = pytest.mark.django_db


# --- personal tools --------------------------------------------------------------------
def test_not_ok_shows_the_card_and_quietly_alerts_moderators_only(
    client, circle, people
):
    client.force_login(people["member"])
    response = client.post(f"/circles/{circle.slug}/not-ok/", follow=True)
    assert 'id="crisis-resources"' in response.content.decode()
    alerts = Notification.objects.filter(kind="safety")
    assert {n.recipient_id for n in alerts} == {
        people["moderator"].pk,
        people["host"].pk,
    }
    assert not ChatMessage.objects.exists() and Post.objects.count() == 0
    client.post(f"/circles/{circle.slug}/not-ok/")  # again: the card, no second alert
    assert Notification.objects.filter(kind="safety").count() == 2
    client.force_login(people["muted"])
    assert (
        'id="crisis-resources"'
        not in client.get(circle.get_absolute_url()).content.decode()
    )


def test_not_ok_is_for_members(client, circle, private_circle, people, outsider):
    client.force_login(outsider)
    assert client.post(f"/circles/{private_circle.slug}/not-ok/").status_code == 404
    assert client.post(f"/circles/{circle.slug}/not-ok/").status_code == 403


def test_ignoring_collapses_their_words_for_me_alone(client, circle, people, post):
    client.force_login(people["member"])
    response = client.post(
        f"/members/{people['author'].pk}/ignore/", {"next": "/circles/"}
    )
    assert response.status_code == 302
    assert Ignore.objects.filter(
        user=people["member"], ignored=people["author"]
    ).exists()
    html = client.get(post.thread.get_absolute_url()).content.decode()
    assert "You chose to hide what Ari Author writes" in html
    client.force_login(people["muted"])
    assert (
        "You chose to hide"
        not in client.get(post.thread.get_absolute_url()).content.decode()
    )
    assert (
        not Notification.objects.filter(recipient=people["author"])
        .exclude(kind="reply")
        .exists()
    )
    client.force_login(people["member"])
    client.post(f"/members/{people['author'].pk}/unignore/", {"next": "/circles/"})
    assert not Ignore.objects.exists()


def test_you_cannot_ignore_yourself(client, people):
    client.force_login(people["member"])
    client.post(f"/members/{people['member'].pk}/ignore/")
    assert not Ignore.objects.exists()
