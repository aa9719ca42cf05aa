"""Removed items can come back (issue 26, moderators 1): GET
/circles/<slug>/moderation/?show=removed lists what moderators removed, with who,
when and the reason they typed; POST /moderation/<kind>/<id>/restore/ brings it back
for hosts, moderators and staff, and answers everyone else with the 404 of a missing
item."""

import json

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from circles.models import AUTHOR_GONE_REASON, ContentStatus
from circles.threads import services as thread_services
from community.notifications.models import Notification
from moderation.models import ModerationAction
from moderation.review import services as review_services

from ...circles.chat.ws import next_frame, open_socket
from ...factories import ChatMessageFactory

pytestmark = pytest.mark.django_db


def removed_url(circle):
    return reverse("moderation_circle:queue", args=[circle.slug]) + "?show=removed"


def restore_url(kind, item_id):
    return reverse("moderation:action", args=[kind, item_id, "restore"])


@pytest.fixture
def removed(circle, people, post):
    """One removed item of each kind, each by the moderator with a typed reason."""
    thread = thread_services.thread_create(
        author=people["author"], circle=circle, title="Loud thread", body="shouting"
    ).thread
    message = ChatMessageFactory(
        circle=circle, author=people["author"], body="rude chat words"
    )
    items = {"thread": thread, "post": post, "message": message}
    for kind, item in items.items():
        review_services.content_remove(
            actor=people["moderator"],
            kind=kind,
            object_id=item.pk,
            reason=f"{kind} broke the guidelines",
        )
    return items


# --- the list ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who,status",
    [
        ("moderator", 200),
        ("host", 200),
        ("staff", 200),
        ("member", 403),
        ("banned", 404),
        ("other_moderator", 404),
    ],
)
def test_who_sees_the_removed_list(client, circle, people, removed, who, status):
    client.force_login(people[who])
    response = client.get(removed_url(circle))
    assert response.status_code == status
    if status != 200:
        assert "rude chat words" not in response.content.decode()


def test_the_list_names_each_item_who_removed_it_and_the_typed_reason(
    client, circle, people, removed
):
    client.force_login(people["host"])
    html = client.get(removed_url(circle)).content.decode()
    for kind, item in removed.items():
        assert f'data-removed-item="{kind}:{item.pk}"' in html
        assert f"{kind} broke the guidelines" in html
        assert f'action="{restore_url(kind, item.pk)}"' in html
    assert html.count("Removed by Moss Moderator") == 3
    assert "rude chat words" in html and "Loud thread" in html
    # the thread's opening post follows its thread: it is not a second row
    root = removed["thread"].posts.get(parent=None)
    assert f'data-removed-item="post:{root.pk}"' not in html


def test_words_erased_with_their_authors_account_are_not_offered_back(
    client, circle, people
):
    gone = ChatMessageFactory(circle=circle, author=people["author"], body="erased")
    gone.status, gone.removed_reason = ContentStatus.REMOVED, AUTHOR_GONE_REASON
    gone.save()
    visible = ChatMessageFactory(circle=circle, author=people["author"])
    client.force_login(people["moderator"])
    html = client.get(removed_url(circle)).content.decode()
    assert f'data-removed-item="message:{gone.pk}"' not in html
    assert f'data-removed-item="message:{visible.pk}"' not in html
    assert "Nothing in this circle is removed at the moment." in html
    assert client.post(restore_url("message", gone.pk)).status_code == 404
    gone.refresh_from_db()
    assert gone.status == ContentStatus.REMOVED


def test_the_list_asks_the_same_number_of_queries_for_more_items(
    client, circle, people, removed
):
    client.force_login(people["moderator"])
    client.get(removed_url(circle))  # warm the session and the permission rows
    with CaptureQueriesContext(connection) as few:
        client.get(removed_url(circle))
    for n in range(4):
        extra = ChatMessageFactory(circle=circle, author=people["author"])
        review_services.content_remove(
            actor=people["host"], kind="message", object_id=extra.pk, reason=f"r{n}"
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(removed_url(circle)).content.decode()
    assert html.count("data-removed-item=") == 7
    assert len(many) == len(few)


def test_the_review_queue_links_to_the_removed_list(client, circle, people):
    client.force_login(people["moderator"])
    html = client.get(
        reverse("moderation_circle:queue", args=[circle.slug])
    ).content.decode()
    assert f'href="{removed_url(circle)}"' in html


# --- restoring ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["thread", "post", "message"])
def test_a_moderator_restores_each_kind(client, circle, people, removed, kind):
    item = removed[kind]
    client.force_login(people["moderator"])
    response = client.post(
        restore_url(kind, item.pk), {"next": removed_url(circle)}, follow=True
    )
    assert response.redirect_chain[-1][0] == removed_url(circle)
    assert "Restored: the circle can read it again" in response.content.decode()
    assert f'data-removed-item="{kind}:{item.pk}"' not in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.removed_reason, item.removed_at) == (
        ContentStatus.VISIBLE,
        "",
        None,
    )
    line = ModerationAction.objects.filter(action="restore").get()
    assert (line.actor, line.target_kind, line.target_id, line.target_user) == (
        people["moderator"],
        kind,
        item.pk,
        people["author"],
    )
    notice = Notification.objects.filter(recipient=people["author"]).latest("pk")
    what = {"thread": "thread", "post": "reply", "message": "chat message"}[kind]
    assert notice.text == (
        f"A moderator of Morning Light restored your {what}: the circle can read it "
        "again."
    )


def test_a_restored_thread_brings_its_opening_post_back(client, people, removed):
    client.force_login(people["host"])
    client.post(restore_url("thread", removed["thread"].pk))
    root = removed["thread"].posts.get(parent=None)
    assert root.status == ContentStatus.VISIBLE


def test_a_restored_reply_is_read_again_by_members(client, people, removed):
    post = removed["post"]
    client.force_login(people["member"])
    assert (
        "unkind words"
        not in client.get(post.thread.get_absolute_url()).content.decode()
    )
    client.force_login(people["moderator"])
    client.post(restore_url("post", post.pk))
    client.force_login(people["member"])
    assert "unkind words" in client.get(post.thread.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "who", ["member", "muted", "author", "banned", "other_moderator", "outsider"]
)
def test_everyone_else_gets_the_404_of_a_missing_item(
    client, people, removed, outsider, who
):
    person = outsider if who == "outsider" else people[who]
    client.force_login(person)
    for kind, item in removed.items():
        assert client.post(restore_url(kind, item.pk)).status_code == 404, kind
        item.refresh_from_db()
        assert item.status == ContentStatus.REMOVED
    assert not ModerationAction.objects.filter(action="restore").exists()


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, removed):
    response = client.post(restore_url("post", removed["post"].pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("status", ["visible", "hidden", "held", "cared"])
def test_words_that_are_not_removed_answer_404(client, circle, people, status):
    message = ChatMessageFactory(circle=circle, author=people["author"], status=status)
    client.force_login(people["moderator"])
    assert client.post(restore_url("message", message.pk)).status_code == 404
    message.refresh_from_db()
    assert message.status == status


def test_a_missing_item_answers_404(client, people):
    client.force_login(people["moderator"])
    assert client.post(restore_url("post", 999999)).status_code == 404
    assert client.post(restore_url("message", 999999)).status_code == 404


def test_restore_needs_the_csrf_token(people, removed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["moderator"])
    assert client.post(restore_url("post", removed["post"].pk)).status_code == 403
    removed["post"].refresh_from_db()
    assert removed["post"].status == ContentStatus.REMOVED


def test_restore_takes_only_posts(client, people, removed):
    client.force_login(people["moderator"])
    assert client.get(restore_url("post", removed["post"].pk)).status_code == 405


@pytest.mark.django_db(transaction=True)
async def test_a_restored_chat_message_comes_back_on_open_pages_after_commit(
    circle, member, moderator, host
):
    message = await database_sync_to_async(ChatMessageFactory)(
        circle=circle, author=host, body="back again"
    )
    await database_sync_to_async(review_services.content_remove)(
        actor=moderator, kind="message", object_id=message.pk, reason="a mistake"
    )
    socket = await open_socket(member, circle.slug)
    await database_sync_to_async(review_services.content_restore)(
        actor=moderator, kind="message", object_id=message.pk
    )
    frame = await next_frame(socket, "chat.restored")
    assert frame["message"]["id"] == message.pk
    assert "back again" in frame["message"]["body_html"]
    assert not frame["message"].get("removed")
    await socket.disconnect()


def test_the_chat_frame_waits_for_the_commit(
    people, removed, django_capture_on_commit_callbacks, monkeypatch
):
    from community import realtime

    sent = []
    monkeypatch.setattr(realtime, "_send", lambda group, event: sent.append(event))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_services.content_restore(
            actor=people["moderator"], kind="message", object_id=removed["message"].pk
        )
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    frames = [event for event in sent if event["type"] == "chat.restored"]
    assert len(frames) == 1
    assert json.loads(frames[0]["text"])["message"]["id"] == removed["message"].pk
