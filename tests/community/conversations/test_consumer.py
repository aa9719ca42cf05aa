"""`/ws/me/` as people use it: frames, errors, catch-up, and closing."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from circles.memberships import events as membership_events
from community import realtime
from community.conversations import events, services
from community.conversations.models import DirectMessage
from community.notifications.models import Notification
from moderation.models import Ignore

from ...circles.chat.ws import drain
from ...factories import UserFactory, add_member
from .ws import closed_with, frame_of, open_me, send_json

pytestmark = pytest.mark.django_db(transaction=True)
db = database_sync_to_async


@pytest.fixture
def bea(circle):
    user = UserFactory(display_name="Bea Member")
    add_member(circle, user)
    return user


@pytest.fixture
def talk(allow, circle, member, bea):
    allow(bea)
    return services.message_start(
        sender=member, recipient_id=bea.pk, body="first words"
    ).message.conversation


def dm_send(conversation, body, client_id):
    return {
        "type": "dm.send",
        "conversation": conversation.pk,
        "body": body,
        "client_id": client_id,
    }


async def test_anonymous_is_refused_with_4403():
    communicator = await open_me(None)
    assert await closed_with(communicator) == 4403


async def test_a_message_reaches_both_people_live(talk, member, bea):
    mira, b = await open_me(member), await open_me(bea)
    await send_json(b, dm_send(talk, "hello **you** <script>x</script>", "c-1"))
    for communicator in (mira, b):
        frame = await frame_of(communicator, "dm.message")
        assert frame["conversation"] == talk.pk
        message = frame["message"]
        assert message["author"] == "Bea Member" and message["seq"] == 2
        assert "<strong>you</strong>" in message["body_html"]
        assert "<script" not in message["body_html"]
        assert message["client_id"] == "c-1" and message["created"]
    await mira.disconnect()
    await b.disconnect()


async def test_a_third_person_hears_nothing(talk, member, bea, host):
    third = await open_me(host)
    b = await open_me(bea)
    await send_json(b, dm_send(talk, "between us", "c-1"))
    await frame_of(b, "dm.message")
    assert await third.receive_nothing(timeout=0.3)
    await third.disconnect()
    await b.disconnect()


async def test_a_resend_is_stored_once_and_answered(talk, bea):
    b = await open_me(bea)
    for _ in range(2):
        await send_json(b, dm_send(talk, "once", "same"))
    frames = [f for f in await drain(b, wait=0.5) if f["type"] == "dm.message"]
    # The live copy and the resend's answer are one message: the socket sends it
    # once or twice, never as two messages.
    assert frames and {f["message"]["id"] for f in frames} == {
        frames[0]["message"]["id"]
    }
    assert frames[0]["message"]["client_id"] == "same"
    assert await db(DirectMessage.objects.filter(body="once").count)() == 1
    await b.disconnect()


async def test_history_before_and_after(talk, member, bea):
    for n in range(4):
        await db(services.dm_send)(author=bea, conversation=talk, body=f"m{n}")
    ids = await db(
        lambda: list(talk.messages.order_by("seq").values_list("id", flat=True))
    )()
    b = await open_me(bea)
    await send_json(b, {"type": "dm.history", "conversation": talk.pk, "after": ids[1]})
    frame = await frame_of(b, "dm.history")
    assert [m["id"] for m in frame["messages"]] == ids[2:]
    await send_json(
        b, {"type": "dm.history", "conversation": talk.pk, "before": ids[2]}
    )
    frame = await frame_of(b, "dm.history")
    assert [m["id"] for m in frame["messages"]] == ids[:2]
    await b.disconnect()


async def test_catch_up_on_connect_sends_what_was_missed_once(talk, member, bea):
    first = await db(lambda: talk.messages.get().pk)()
    for n in range(3):
        await db(services.dm_send)(author=member, conversation=talk, body=f"away {n}")
    b = await open_me(bea, after=first)
    bodies = [(await frame_of(b, "dm.message"))["message"] for _ in range(3)]
    assert [m["seq"] for m in bodies] == [2, 3, 4]
    assert await b.receive_nothing(timeout=0.3)
    await b.disconnect()


@pytest.mark.parametrize(
    "raw,code",
    [
        ("not json", "invalid"),
        ("[]", "invalid"),
        ('{"type": "nope"}', "invalid"),
        ('{"type": "dm.send", "conversation": 1, "body": "a\\u0000b"}', "invalid"),
        ('{"type": "dm.send", "conversation": 1, "body": "\\ud800"}', "invalid"),
        ('{"type": "dm.history", "conversation": 1, "after": -1}', "invalid"),
        ("x" * 40000, "too_long"),
    ],
)
async def test_bad_frames_answer_an_error_and_the_socket_stays(talk, bea, raw, code):
    b = await open_me(bea)
    await b.send_to(text_data=raw)
    frame = await frame_of(b, "error")
    assert frame["code"] == code and frame["detail"]
    await send_json(b, dm_send(talk, "still here", "after-error"))
    assert (await frame_of(b, "dm.message"))["message"]["client_id"] == "after-error"
    await b.disconnect()


@pytest.mark.parametrize(
    "body,code", [("", "invalid"), ("x" * 4001, "too_long"), (7, "invalid")]
)
async def test_refused_bodies(talk, bea, body, code):
    b = await open_me(bea)
    await send_json(b, dm_send(talk, body, "c"))
    assert (await frame_of(b, "error"))["code"] == code
    await b.disconnect()


async def test_someone_elses_conversation_answers_like_a_missing_one(talk, host):
    h = await open_me(host)
    answers = []
    for conversation_id in (talk.pk, 987654):
        await send_json(
            h,
            {"type": "dm.send", "conversation": conversation_id, "body": "x"},
        )
        answers.append(await frame_of(h, "error"))
        await send_json(h, {"type": "dm.history", "conversation": conversation_id})
        answers.append(await frame_of(h, "error"))
    assert answers[0] == answers[2] and answers[1] == answers[3]
    assert answers[0]["code"] == "not_found"
    assert await db(talk.messages.count)() == 1
    await h.disconnect()


async def test_closed_and_ignored_conversations_refuse_in_words(talk, member, bea):
    b = await open_me(bea)
    await db(Ignore.objects.create)(user=member, ignored=bea)
    await send_json(b, dm_send(talk, "hello?", "c-1"))
    refused = await frame_of(b, "error")
    assert refused["code"] == "forbidden"
    await db(services.conversation_close)(actor=member, conversation=talk)
    closed = await frame_of(b, "dm.closed")
    assert closed == {"type": "dm.closed", "conversation": talk.pk, "by": "Mira Member"}
    await send_json(b, dm_send(talk, "hello?", "c-2"))
    assert (await frame_of(b, "error"))["code"] == "closed"
    await b.disconnect()


async def test_crisis_words_bring_the_card_to_the_author_only(talk, member, bea):
    mira, b = await open_me(member), await open_me(bea)
    await send_json(b, dm_send(talk, "I want to kill myself tonight", "c-1"))
    card = await frame_of(b, "crisis")
    assert card["level"] == "danger" and card["posted"] == "visible"
    assert card["text"] and "Mira Member can read it now" in card["html"]
    assert "<script" not in card["html"]
    assert (await frame_of(mira, "dm.message", "crisis"))["type"] == "dm.message"
    assert await mira.receive_nothing(timeout=0.3)
    await mira.disconnect()
    await b.disconnect()


async def test_notifications_arrive_on_the_socket(circle, moderator, member):
    m = await open_me(member)
    await db(services.check_in_start)(
        actor=moderator, circle=circle, member=member, body="Checking in"
    )
    assert (await frame_of(m, "dm.message"))["message"]["author"] == "Moss Moderator"
    frame = await frame_of(m, "notification.created")
    # The link marks it read on the way (`/notifications/<id>/open/`), then goes on.
    stored = await db(Notification.objects.get)(pk=frame["id"])
    assert frame["url"] == f"/notifications/{stored.pk}/open/"
    assert stored.url.startswith("/messages/")
    await m.disconnect()


async def test_circle_events_on_the_user_group_do_not_break_the_socket(talk, bea):
    b = await open_me(bea)
    layer = get_channel_layer()
    await layer.group_send(
        realtime.user_group(bea.pk), membership_events.mute_changed(1, None)
    )
    await send_json(b, dm_send(talk, "fine", "c-1"))
    assert (await frame_of(b, "dm.message"))["message"]["body_html"]
    await b.disconnect()


async def test_session_ended_closes_that_session_only(talk, bea):
    one, two = await open_me(bea), await open_me(bea)
    layer = get_channel_layer()
    await layer.group_send(
        realtime.user_group(bea.pk),
        events.session_ended(session_key=one.session_key),
    )
    assert await closed_with(one) == 4403
    assert await two.receive_nothing(timeout=0.2)
    await layer.group_send(realtime.user_group(bea.pk), events.session_ended())
    assert await closed_with(two) == 4403


async def test_logging_out_closes_the_socket_of_that_session(talk, bea, client):
    b = await open_me(bea)
    other = await open_me(bea)

    def log_out():
        client.cookies["sessionid"] = b.session_key
        return client.post("/accounts/logout/")

    await db(log_out)()
    assert await closed_with(b) == 4403
    assert await other.receive_nothing(timeout=0.2)
    await other.disconnect()


@pytest.mark.parametrize("change", ["password", "deactivate"])
async def test_password_change_or_deactivation_closes_every_socket(talk, bea, change):
    b = await open_me(bea)

    def apply():
        if change == "password":
            bea.set_password("another-long-password-2")
        else:
            bea.is_active = False
        bea.save()

    await db(apply)()
    assert await closed_with(b) == 4403


async def test_a_deactivated_persons_write_is_refused_and_closed(talk, bea):
    b = await open_me(bea)
    await db(type(bea).objects.filter(pk=bea.pk).update)(is_active=False)
    await send_json(b, dm_send(talk, "anyone?", "c-1"))
    assert (await frame_of(b, "error"))["code"] == "forbidden"
    assert await closed_with(b) == 4403
    assert await db(talk.messages.count)() == 1


async def test_frames_are_json_objects_with_a_type(talk, bea):
    b = await open_me(bea)
    await send_json(b, dm_send(talk, "x", "c"))
    raw = await b.receive_from(timeout=2)
    assert isinstance(json.loads(raw), dict)
    await asyncio.sleep(0)
    await b.disconnect()


async def test_a_message_seen_live_is_marked_read(talk, member, bea):
    from community.conversations import selectors

    b = await open_me(bea)
    await db(services.dm_send)(author=member, conversation=talk, body="new")
    frame = await frame_of(b, "dm.message")
    assert await db(selectors.unread_count)(user=bea) == 1
    read = {"type": "dm.read", "conversation": talk.pk, "id": frame["message"]["id"]}
    await send_json(b, read)
    await send_json(b, {"type": "dm.read", "conversation": 987654, "id": 1})
    assert (await frame_of(b, "error"))["code"] == "not_found"
    assert await db(selectors.unread_count)(user=bea) == 0
    await b.disconnect()


async def test_a_check_in_card_on_the_socket_says_who_knows_and_names_its_item(
    circle, moderator, member
):
    from html import unescape

    sent = await db(services.check_in_start)(
        actor=moderator, circle=circle, member=member, body="How are you?"
    )
    m = await open_me(member)
    await drain(m)
    await send_json(
        m, dm_send(sent.message.conversation, "I want to kill myself tonight", "c-1")
    )
    card = await frame_of(m, "crisis")
    words = await db(DirectMessage.objects.get)(author=member)
    assert card["item"] == f"dm:{words.pk}"
    assert (
        f"The hosts and moderators of {circle.name} know that you may need support, "
        "not what you wrote." in unescape(card["html"])
    )
    await m.disconnect()
