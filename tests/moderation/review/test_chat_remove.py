"""Remove on a chat message, from the chat itself (issue 26): hosts and moderators,
without a flag first, with a reason they type; an empty reason is a clear error and
the message stays; an audit row; other members' open pages lose it live; the script's
in-place post gets JSON."""

import pytest
from channels.db import database_sync_to_async

from circles.models import ChatMessage, ContentStatus
from community.notifications.models import Notification
from moderation.models import Flag, ModerationAction

from ...circles.chat.ws import next_frame, open_socket
from ...factories import ChatMessageFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def message(circle, member):
    return ChatMessageFactory(circle=circle, author=member, body="a cruel joke")


def remove_url(message) -> str:
    return f"/moderation/message/{message.pk}/remove/"


@pytest.mark.parametrize("who", ["host", "moderator"])
def test_a_keeper_removes_a_message_without_a_flag_and_it_is_audited(
    client, circle, message, host, moderator, who
):
    actor = {"host": host, "moderator": moderator}[who]
    assert not Flag.objects.exists()
    client.force_login(actor)
    back = f"/circles/{circle.slug}/?message={message.pk}"
    response = client.post(
        remove_url(message), {"reason": "Mocking a member", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    message.refresh_from_db()
    assert message.status == ContentStatus.REMOVED
    assert message.removed_reason == "Mocking a member"
    row = ModerationAction.objects.get()
    assert (row.action, row.actor, row.target_kind, row.target_id, row.reason) == (
        "remove",
        actor,
        "message",
        message.pk,
        "Mocking a member",
    )
    notice = Notification.objects.get(recipient=message.author, kind="moderation")
    assert "Mocking a member" in notice.text


def test_an_empty_reason_is_a_clear_error_and_the_message_stays(
    client, circle, message, moderator
):
    client.force_login(moderator)
    back = f"/circles/{circle.slug}/?message={message.pk}"
    page = client.post(
        remove_url(message), {"reason": "   ", "next": back}, follow=True
    ).content.decode()
    assert "Give a reason" in page and "Nothing was removed" in page
    answer = client.post(remove_url(message), {"reason": ""}, **JSON)
    assert answer.status_code == 400
    assert "Give a reason" in answer.json()["error"]
    message.refresh_from_db()
    assert message.status == ContentStatus.VISIBLE
    assert not ModerationAction.objects.exists()
    assert not Notification.objects.filter(recipient=message.author).exists()


def test_the_chats_in_place_post_gets_json(client, message, moderator):
    client.force_login(moderator)
    answer = client.post(remove_url(message), {"reason": "Spam link"}, **JSON)
    assert answer.status_code == 200 and answer.json()["ok"] is True
    assert "author is told your reason privately" in answer.json()["message"]
    assert ChatMessage.objects.get(pk=message.pk).status == ContentStatus.REMOVED


def test_a_member_may_not_and_a_stranger_sees_nothing(client, message, host, outsider):
    other = ChatMessageFactory(circle=message.circle, author=host)
    client.force_login(message.author)
    assert client.post(remove_url(other), {"reason": "x"}).status_code == 403
    client.force_login(outsider)
    assert client.post(remove_url(other), {"reason": "x"}).status_code == 404
    assert ChatMessage.objects.get(pk=other.pk).status == ContentStatus.VISIBLE


@pytest.mark.django_db(transaction=True)
async def test_other_members_open_pages_lose_it_live(
    client, circle, member, moderator, host
):
    message = await database_sync_to_async(ChatMessageFactory)(
        circle=circle, author=host, body="off topic"
    )
    socket = await open_socket(member, circle.slug)

    def remove():
        client.force_login(moderator)
        return client.post(remove_url(message), {"reason": "Off topic"}, **JSON)

    answer = await database_sync_to_async(remove)()
    assert answer.status_code == 200
    frame = await next_frame(socket, "chat.removed")
    assert frame == {
        "type": "chat.removed",
        "id": message.pk,
        "reason": "Removed by the circle's moderators",
    }
    await socket.disconnect()


def _raised(message, level="danger"):
    from moderation.models import SafetyItem

    SafetyItem.objects.create(
        circle=message.circle,
        kind="message",
        object_id=message.pk,
        person=message.author,
        level=level,
        source="words",
    )


@pytest.mark.parametrize("level", ["danger", "concern", "unsafe"])
def test_crisis_words_are_never_removed_as_a_rule_broken(
    client, circle, message, moderator, level
):
    """Decisions, third round: a message that raised a level has no Remove, and a
    Remove posted anyway is refused with a sentence; nothing changes, no audit row."""
    _raised(message, level)
    client.force_login(moderator)
    response = client.post(remove_url(message), {"reason": "too dark"}, **JSON)
    assert response.status_code == 400
    assert "never a rule broken" in response.json()["error"]
    message.refresh_from_db()
    assert message.status == ContentStatus.VISIBLE
    assert not ModerationAction.objects.exists()


def test_crisis_words_flagged_for_another_reason_keep_remove(
    client, circle, message, member, moderator, host
):
    _raised(message)
    Flag.objects.create(
        circle=circle,
        kind="message",
        object_id=message.pk,
        reporter=host,
        reason=Flag.Reason.SELF_HARM,
    )
    client.force_login(moderator)
    refused = client.post(remove_url(message), {"reason": "x"}, **JSON)
    assert refused.status_code == 400  # a worry about its author is not a rule broken
    Flag.objects.create(
        circle=circle,
        kind="message",
        object_id=message.pk,
        reporter=moderator,
        reason=Flag.Reason.HARASSMENT,
    )
    done = client.post(remove_url(message), {"reason": "Aimed at a member"}, **JSON)
    assert done.status_code == 200
    message.refresh_from_db()
    assert message.status == ContentStatus.REMOVED
