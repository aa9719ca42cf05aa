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


def test_ignoring_someone_cancels_unsent_email_naming_them(client, people):
    from django.utils import timezone

    from community.outbox.models import OutboundEmail

    def queued(key, user, text, purpose="notification"):
        return OutboundEmail.objects.create(
            key=key,
            purpose=purpose,
            user=user,
            to_address=f"{key}@example.org",
            subject=f"Circles: {text}",
            body=f"Hello,\n\n{text}",
            send_after=timezone.now(),
        )

    reply = queued("reply", people["member"], "Ari Author replied to your post")
    other = queued("other", people["member"], "Mira Host replied to your post")
    lookalike = queued("lookalike", people["member"], "Ari Authors Club met")
    digest = queued("digest", people["member"], "Ari Author posted", "digest")
    theirs = queued("theirs", people["muted"], "Ari Author replied to your post")
    client.force_login(people["member"])
    client.post(f"/members/{people['author'].pk}/ignore/", {"next": "/circles/"})
    cancelled = set(
        OutboundEmail.objects.filter(cancelled_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert reply.pk in cancelled
    assert not cancelled & {other.pk, lookalike.pk, digest.pk, theirs.pk}


def test_whom_i_ignore_is_read_from_the_cache_and_changes_at_once(
    client, people, post, monkeypatch
):
    """Issue 28: every page that shows words folds those of people the reader
    ignores; the list is kept in the shared cache and each write forgets it."""
    from community import person_cache
    from community.accounts import erasure
    from moderation.safety.selectors import IGNORED

    monkeypatch.setattr(person_cache, "CHANGING_SECONDS", 0)  # writes only drop it
    url = post.thread.get_absolute_url()
    client.force_login(people["member"])
    assert "You chose to hide" not in client.get(url).content.decode()  # now kept
    client.post(f"/members/{people['author'].pk}/ignore/")
    assert (
        "You chose to hide what Ari Author writes" in client.get(url).content.decode()
    )
    assert IGNORED.get(people["member"].pk) == {people["author"].pk}
    client.post(f"/members/{people['author'].pk}/unignore/")
    assert "You chose to hide" not in client.get(url).content.decode()
    client.post(f"/members/{people['author'].pk}/ignore/")
    assert IGNORED.get(people["member"].pk) == {people["author"].pk}
    erasure.account_delete(user=people["author"], content="keep")
    assert IGNORED.get(people["member"].pk) == frozenset()  # theirs went with them
