"""The chat socket as members use it: every frame type and every error code."""

import json

import pytest
from channels.db import database_sync_to_async

from circles import permissions
from circles.chat import services as chat_services
from circles.memberships import sanctions
from circles.memberships import services as membership_services
from circles.models import ChatMessage, Membership
from community.ratelimit_config import Rate
from moderation.models import ModerationAction

from ...factories import ChatMessageFactory, UserFactory, add_member
from .ws import close_code, drain, next_frame, of_type, open_socket, say, send

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pending(circle):
    user = UserFactory(display_name="Pia Pending")
    add_member(circle, user, state=Membership.State.PENDING)
    return user


@pytest.fixture
def banned(circle):
    user = UserFactory(display_name="Bo Banned")
    add_member(circle, user, state=Membership.State.BANNED)
    return user


@pytest.mark.parametrize("who", ["anonymous", "outsider", "pending", "banned"])
async def test_those_who_may_not_read_are_refused_with_4403_before_any_data(
    circle, who, outsider, pending, banned
):
    user = {
        "anonymous": None,
        "outsider": outsider,
        "pending": pending,
        "banned": banned,
    }[who]
    communicator = await open_socket(user, circle.slug)
    assert await close_code(communicator) == 4403
    await communicator.disconnect()


async def test_a_missing_circle_is_refused_the_same_way(member):
    communicator = await open_socket(member, "no-such-circle")
    assert await close_code(communicator) == 4403


async def test_a_message_reaches_every_member_stored_and_sanitised(
    circle, member, host
):
    alice = await open_socket(member, circle.slug)
    bob = await open_socket(host, circle.slug)
    await say(alice, "hello **friends** <script>alert(1)</script>", "c-1")
    for communicator in (alice, bob):
        message = (await next_frame(communicator, "chat.message"))["message"]
        assert message["seq"] == 1
        assert message["author"] == "Mira Member"
        assert message["client_id"] == "c-1"
        assert "<strong>friends</strong>" in message["body_html"]
        assert "<script" not in message["body_html"]
        assert message["created"]
    stored = await database_sync_to_async(ChatMessage.objects.get)()
    assert stored.id == message["id"] and stored.body.startswith("hello")
    await alice.disconnect()
    await bob.disconnect()


async def test_seq_counts_up_with_no_gaps(circle, member, host):
    alice = await open_socket(member, circle.slug)
    bob = await open_socket(host, circle.slug)
    for n in range(5):
        await say(alice if n % 2 else bob, f"message {n}", f"id-{n}")
    seqs = [
        (await next_frame(alice, "chat.message"))["message"]["seq"] for _ in range(5)
    ]
    assert seqs == [1, 2, 3, 4, 5]
    await alice.disconnect()
    await bob.disconnect()


async def test_a_resend_with_the_same_client_id_is_stored_once(circle, member, host):
    alice = await open_socket(member, circle.slug)
    bob = await open_socket(host, circle.slug)
    await say(alice, "only once", "same-id")
    first = (await next_frame(alice, "chat.message"))["message"]
    await say(alice, "only once", "same-id")
    again = (await next_frame(alice, "chat.message"))["message"]
    assert again["id"] == first["id"]
    assert (await next_frame(bob, "chat.message"))["message"]["id"] == first["id"]
    assert of_type(await drain(bob), "chat.message") == []
    assert await database_sync_to_async(ChatMessage.objects.count)() == 1
    await alice.disconnect()
    await bob.disconnect()


@pytest.mark.parametrize(
    "frame,code",
    [
        ({"type": "chat.send", "body": "", "client_id": "a"}, "invalid"),
        ({"type": "chat.send", "body": "   \n ", "client_id": "a"}, "invalid"),
        ({"type": "chat.send", "body": "x" * 4001, "client_id": "a"}, "too_long"),
        ({"type": "chat.send", "body": 12, "client_id": "a"}, "invalid"),
        ({"type": "chat.send", "body": ["x"], "client_id": "a"}, "invalid"),
        ({"type": "chat.send", "body": "x", "client_id": 5}, "invalid"),
        ({"type": "chat.send", "body": "x", "client_id": "c" * 65}, "invalid"),
        ({"type": "chat.history", "after": "ten"}, "invalid"),
        ({"type": "chat.history", "before": -1}, "invalid"),
        ({"type": "shout", "body": "x"}, "invalid"),
        ({"body": "no type"}, "invalid"),
        ({"type": None}, "invalid"),
    ],
)
async def test_bad_frames_get_an_error_and_the_connection_stays(
    circle, member, frame, code
):
    alice = await open_socket(member, circle.slug)
    await send(alice, frame)
    error = await next_frame(alice, "error")
    assert error["code"] == code and error["detail"]
    await say(alice, "still here", "after-error")
    assert (await next_frame(alice, "chat.message"))["message"][
        "client_id"
    ] == "after-error"
    assert await database_sync_to_async(ChatMessage.objects.count)() == 1
    await alice.disconnect()


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[1, 2]",
        '"text"',
        "null",
        "[" * 5000 + "]" * 5000,
        '{"type": "chat.send", "body": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}",
        "x" * (1024 * 1024),
    ],
    ids=["not-json", "array", "string", "null", "deep-array", "deep-object", "1MB"],
)
async def test_hostile_frames_get_an_error_and_others_carry_on(
    circle, member, host, raw
):
    alice = await open_socket(member, circle.slug)
    bob = await open_socket(host, circle.slug)
    await alice.send_to(text_data=raw)
    error = await next_frame(alice, "error")
    assert error["code"] in ("invalid", "too_long")
    await say(bob, "others carry on", "bob-1")
    assert (await next_frame(alice, "chat.message"))["message"]["client_id"] == "bob-1"
    await alice.disconnect()
    await bob.disconnect()


async def test_binary_frames_are_refused_in_words(circle, member):
    alice = await open_socket(member, circle.slug)
    await alice.send_to(bytes_data=b"\x00\x01binary")
    assert (await next_frame(alice, "error"))["code"] == "invalid"
    await alice.disconnect()


async def test_a_burst_is_rate_limited_and_nothing_more_is_stored(
    circle, member, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "CHAT": Rate(3, 10.0)}
    alice = await open_socket(member, circle.slug)
    for n in range(3):
        await say(alice, f"m{n}", f"b{n}")
        await next_frame(alice, "chat.message")
    await say(alice, "one too many", "b3")
    error = await next_frame(alice, "error")
    assert error["code"] == "rate_limited"
    assert await database_sync_to_async(ChatMessage.objects.count)() == 3
    await alice.disconnect()


async def test_slow_mode_is_set_by_a_moderator_recorded_and_enforced(
    circle, member, moderator, client
):
    alice = await open_socket(member, circle.slug)
    await database_sync_to_async(client.force_login)(moderator)
    response = await database_sync_to_async(client.post)(
        f"/circles/{circle.slug}/slow-mode/", {"seconds": 30}
    )
    assert response.status_code == 302
    assert (await next_frame(alice, "slow_mode.changed"))["seconds"] == 30
    await say(alice, "first", "s1")
    await next_frame(alice, "chat.message")
    await say(alice, "second", "s2")
    error = await next_frame(alice, "error")
    assert error["code"] == "rate_limited" and "Slow mode" in error["detail"]
    assert await database_sync_to_async(
        ModerationAction.objects.filter(action="slow_mode", circle=circle).exists
    )()
    await alice.disconnect()


async def test_a_member_cannot_set_slow_mode(circle, member, client):
    await database_sync_to_async(client.force_login)(member)
    response = await database_sync_to_async(client.post)(
        f"/circles/{circle.slug}/slow-mode/", {"seconds": 30}
    )
    assert response.status_code == 403


async def test_a_muted_member_reads_but_cannot_send(circle, member, moderator):
    alice = await open_socket(member, circle.slug)
    mod = await open_socket(moderator, circle.slug)
    await database_sync_to_async(sanctions.membership_mute)(
        actor=moderator, circle=circle, user_id=member.pk, minutes=10, reason="cool off"
    )
    assert (await next_frame(alice, "muted"))["until"]
    await say(alice, "let me speak", "m-1")
    assert (await next_frame(alice, "error"))["code"] == "muted"
    await say(mod, "you can still read this", "mod-1")
    assert (await next_frame(alice, "chat.message"))["message"]["client_id"] == "mod-1"
    await alice.disconnect()
    await mod.disconnect()


async def test_permission_is_asked_again_for_every_write(circle, member):
    """Even if the event that closes sockets were lost, an old socket cannot post."""
    alice = await open_socket(member, circle.slug)
    await database_sync_to_async(permissions.revoke_all)(user=member, circle=circle)
    await say(alice, "through an old socket", "old-1")
    assert (await next_frame(alice, "error"))["code"] == "forbidden"
    assert await close_code(alice) == 4403
    assert await database_sync_to_async(ChatMessage.objects.count)() == 0


async def test_a_ban_closes_the_members_socket_at_once(circle, member, moderator):
    alice = await open_socket(member, circle.slug)
    await database_sync_to_async(sanctions.membership_ban)(
        actor=moderator, circle=circle, user_id=member.pk, reason="harassment"
    )
    assert await close_code(alice, timeout=1.0) == 4403


async def test_leaving_closes_the_members_socket(circle, member):

    alice = await open_socket(member, circle.slug)
    await database_sync_to_async(membership_services.membership_leave)(
        user=member, circle=circle
    )
    assert await close_code(alice, timeout=1.0) == 4403


async def test_catch_up_after_reconnect_misses_nothing_and_repeats_nothing(
    circle, member, host, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "CHAT": Rate(1000, 10.0)}
    alice = await open_socket(member, circle.slug)
    await say(alice, "before the drop", "a-1")
    seen = (await next_frame(alice, "chat.message"))["message"]
    await alice.disconnect()
    bob = await open_socket(host, circle.slug)
    for n in range(60):
        await say(bob, f"while away {n}", f"b-{n}")
        await next_frame(bob, "chat.message")
    alice = await open_socket(member, circle.slug, after=seen["id"])
    await say(bob, "live after the reconnect", "b-live")
    received = []
    while len(received) < 61:
        received.append((await next_frame(alice, "chat.message"))["message"])
    assert [m["seq"] for m in received] == list(range(2, 63))
    assert received[-1]["client_id"] == "b-live"
    assert of_type(await drain(alice), "chat.message") == []
    await alice.disconnect()
    await bob.disconnect()


async def test_history_pages_back_fifty_at_a_time(circle, member, host):
    messages = await database_sync_to_async(
        lambda: [ChatMessageFactory(circle=circle, author=host) for _ in range(120)]
    )()
    alice = await open_socket(member, circle.slug)
    await send(alice, {"type": "chat.history", "before": messages[-1].id})
    page = (await next_frame(alice, "chat.history"))["messages"]
    assert [m["seq"] for m in page] == list(range(70, 120))
    await send(alice, {"type": "chat.history", "after": messages[9].id})
    page = (await next_frame(alice, "chat.history"))["messages"]
    assert [m["seq"] for m in page] == list(range(11, 61))
    await alice.disconnect()


async def test_history_of_another_circle_is_not_reachable_by_id(
    circle, other_circle, member, host
):
    secret = await database_sync_to_async(ChatMessageFactory)(
        circle=other_circle, author=other_circle.host, body="other circle secret"
    )
    alice = await open_socket(member, circle.slug)
    await send(alice, {"type": "chat.history", "after": secret.id - 1})
    assert (await next_frame(alice, "chat.history"))["messages"] == []
    await alice.disconnect()


async def test_removed_messages_come_back_as_tombstones_keeping_seq(
    circle, member, host
):
    await database_sync_to_async(
        lambda: [
            ChatMessageFactory(circle=circle, author=host, body="fine"),
            ChatMessageFactory(
                circle=circle,
                author=host,
                body="removed text",
                status="removed",
                removed_reason="unkind",
            ),
        ]
    )()
    alice = await open_socket(member, circle.slug, after=0)
    first = (await next_frame(alice, "chat.message"))["message"]
    second = (await next_frame(alice, "chat.message"))["message"]
    assert first["seq"] == 1 and second["seq"] == 2
    assert (
        second["removed"] and second["reason"] == "Removed by the circle's moderators"
    )
    assert "unkind" not in json.dumps(second)
    assert "removed text" not in json.dumps(second)
    await alice.disconnect()


async def test_typing_reaches_others_not_the_typist_and_is_throttled(
    circle, member, host
):
    alice = await open_socket(member, circle.slug)
    bob = await open_socket(host, circle.slug)
    await send(alice, {"type": "typing"})
    await send(alice, {"type": "typing"})
    assert (await next_frame(bob, "typing"))["author"] == "Mira Member"
    assert of_type(await drain(bob), "typing") == []
    assert of_type(await drain(alice, wait=0), "typing") == []
    await alice.disconnect()
    await bob.disconnect()


async def test_presence_lists_who_is_here_by_display_name(circle, member, host):
    alice = await open_socket(member, circle.slug)
    first = await next_frame(alice, "presence")
    assert first["members"] == ["Mira Member"]
    bob = await open_socket(host, circle.slug)
    assert (await next_frame(alice, "presence"))["members"] == [
        "Hazel Host",
        "Mira Member",
    ]
    await bob.disconnect()
    assert (await next_frame(alice, "presence"))["members"] == ["Mira Member"]
    await alice.disconnect()


async def test_database_trouble_is_answered_with_unavailable(
    circle, member, monkeypatch
):
    from django.db import OperationalError

    def down(**kwargs):
        raise OperationalError("database is down")

    alice = await open_socket(member, circle.slug)
    monkeypatch.setattr(chat_services, "chat_message_post", down)
    await say(alice, "hello?", "u-1")
    assert (await next_frame(alice, "error"))["code"] == "unavailable"
    await alice.disconnect()


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "null",
        None,
        "http://testserver.evil.example",
        "http://eviltestserver",
        "http://testserver\r\nX-Injected: 1",
        "http://testserver\x00",
    ],
    ids=["other-site", "null", "missing", "suffix", "prefix", "crlf", "nul"],
)
async def test_cross_site_websocket_connections_are_refused(circle, member, origin):
    communicator = await open_socket(
        member, circle.slug, origin=origin, expect_open=False
    )
    assert not communicator.accepted
