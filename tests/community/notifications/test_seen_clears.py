"""Finding 5 (issue 26): a notification is read once the thing it points to is seen,
by any route (the thread page showing that post, a "show more" part of a long thread,
the conversation or check-in page, a chat mention's link), and every open page of the
person hears the new count (`notifications.read` on /ws/me/)."""

import json

import pytest

from circles.threads import services as thread_services
from community import realtime
from community.conversations import services as dm_services
from community.notifications import services
from community.notifications.models import Notification
from tests.factories import ThreadFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def frames(monkeypatch):
    sent = []
    real = realtime.broadcast_on_commit

    def capture(group, event):
        sent.append((group, event))
        return real(group, event)

    monkeypatch.setattr(realtime, "broadcast_on_commit", capture)
    return sent


def unread(user) -> int:
    return services.unread_count(user=user)


def test_reading_the_thread_page_clears_the_reply_notification(
    client, circle, member, frames
):
    thread = ThreadFactory(circle=circle, author=member)
    replier = UserFactory(display_name="Rowan")
    add_member(circle, replier)
    thread_services.post_reply(author=replier, thread=thread, body="I hear you.")
    other = ThreadFactory(circle=circle, author=member)
    thread_services.post_reply(author=replier, thread=other, body="Me too.")
    assert unread(member) == 2
    client.force_login(member)
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert unread(member) == 1  # only the thread seen
    read = [
        (g, json.loads(e["text"]))
        for g, e in frames
        if e.get("type") == "notifications.read"
    ]
    assert read[-1] == (
        realtime.user_group(member.pk),
        {"type": "notifications.read", "unread": 1},
    )


def test_opening_the_conversation_clears_its_message_notification(
    client, circle, host, member
):
    dm_services.check_in_start(
        actor=host, circle=circle, member=member, body="How are you doing?"
    )
    assert Notification.objects.filter(recipient=member, kind="message").exists()
    conversation_url = Notification.objects.get(recipient=member, kind="message").url
    client.force_login(member)
    assert client.get(conversation_url).status_code == 200
    assert unread(member) == 0


def test_a_chat_mention_link_clears_when_followed(client, circle, member):
    url = f"/circles/{circle.slug}/?message=7"
    services.notification_send(
        recipient=member,
        kind="mention",
        text="Hazel mentioned you.",
        url=url,
        circle=circle,
    )
    services.notification_send(
        recipient=member,
        kind="mention",
        text="Hazel mentioned you.",
        url=f"/circles/{circle.slug}/?message=8",
        circle=circle,
    )
    client.force_login(member)
    client.get(url)
    assert unread(member) == 1


def test_someone_elses_view_clears_nothing_of_mine(client, circle, member, host):
    thread = ThreadFactory(circle=circle, author=member)
    thread_services.post_reply(author=host, thread=thread, body="Welcome.")
    client.force_login(host)
    client.get(thread.get_absolute_url())
    assert unread(member) == 1


def test_the_personal_socket_forwards_the_new_count():
    from community.conversations.consumers import MeConsumer

    assert "notifications.read" in MeConsumer.forwards
