"""Threads hardening (issue 14): replies into what the replier cannot see answer
404 with nothing stored, notified or broadcast (14.9); moderated content stays as
the moderators left it (14.10)."""

import pytest

from circles.models import ContentStatus, Post, PostRevision, Thread
from circles.threads import services as thread_services
from community.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(circle, host):
    return thread_services.thread_create(
        author=host, circle=circle, title="Held", body="opening"
    ).thread


def reply(client, user, thread, body="hello", parent=None):
    client.force_login(user)
    data = {"body": body}
    if parent:
        data["parent"] = parent
    return client.post(
        f"/circles/{thread.circle.slug}/threads/{thread.pk}/reply/", data
    )


@pytest.mark.parametrize(
    "status", [ContentStatus.HELD, ContentStatus.REMOVED, ContentStatus.HIDDEN]
)
def test_a_reply_into_a_thread_the_member_cannot_see_is_a_404_and_nothing_happens(
    client, thread, member, status, django_capture_on_commit_callbacks
):
    Thread.objects.filter(pk=thread.pk).update(status=status)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = reply(client, member, thread)
    assert response.status_code == 404
    assert Post.objects.filter(thread=thread).count() == 1
    assert Notification.objects.count() == before and not callbacks
    # Exactly like a thread that does not exist.
    missing = client.post(
        f"/circles/{thread.circle.slug}/threads/999999/reply/", {"body": "x"}
    )
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "status", [ContentStatus.HELD, ContentStatus.HIDDEN, ContentStatus.REMOVED]
)
def test_a_reply_under_a_post_the_member_cannot_see_is_a_404_and_nothing_happens(
    client, thread, host, member, status, django_capture_on_commit_callbacks
):
    hidden = thread_services.post_reply(
        author=host, thread=thread, body="under review"
    ).post
    Post.objects.filter(pk=hidden.pk).update(status=status)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = reply(client, member, thread, parent=hidden.pk)
    assert response.status_code == 404
    assert not Post.objects.filter(parent=hidden).exists()
    assert Notification.objects.count() == before and not callbacks


def test_the_author_of_a_held_post_and_moderators_may_still_reply_under_it(
    client, thread, host, member, moderator
):
    held = thread_services.post_reply(author=member, thread=thread, body="mine").post
    Post.objects.filter(pk=held.pk).update(status=ContentStatus.HELD)
    assert reply(client, member, thread, parent=held.pk).status_code == 302
    assert (
        reply(client, moderator, thread, body="mod", parent=held.pk).status_code == 302
    )


def edit(client, user, post, body):
    client.force_login(user)
    return client.post(
        f"/circles/{post.thread.circle.slug}/posts/{post.pk}/edit/",
        {"body": body},
        follow=True,
    )


def test_no_edits_inside_a_locked_thread(client, thread, member):
    post = thread_services.post_reply(author=member, thread=thread, body="first").post
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    html = edit(client, member, post, "changed after the lock").content.decode()
    post.refresh_from_db()
    assert post.body == "first" and not PostRevision.objects.exists()
    assert "locked by a moderator" in html
    assert f'id="edit-{post.pk}"' not in html  # no edit box is offered either


@pytest.mark.parametrize(
    "status,words",
    [
        (ContentStatus.REMOVED, "A moderator removed this"),
        (ContentStatus.HIDDEN, "hidden while moderators review it"),
    ],
)
def test_no_edits_to_removed_or_hidden_posts(
    client, thread, member, moderator, status, words
):
    post = thread_services.post_reply(author=member, thread=thread, body="first").post
    Post.objects.filter(pk=post.pk).update(status=status)
    html = edit(client, member, post, "abuse now").content.decode()
    post.refresh_from_db()
    assert post.body == "first" and not PostRevision.objects.exists()
    assert words in html
