"""The chat socket against an outside review (issue 14, items 5, 6, 7, 11, 18):
text the database cannot store, access that outlives its permission, a ban racing a
connect, a muted typist, held messages crossing circles, too many sockets."""

import json
import os

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session

from circles import permissions
from circles.chat import consumers
from circles.memberships import sanctions
from circles.models import ChatMessage
from community import realtime
from community.accounts.models import User
from community.asgi import application
from community.ratelimit_config import Rate, parse_rate_limits
from moderation.models import WatchedWord

from ..circles.chat.ws import (
    close_code,
    drain,
    next_frame,
    of_type,
    open_socket,
    say,
    send,
)
from ..factories import add_member

pytestmark = pytest.mark.django_db(transaction=True)


async def still_open(communicator, client_id):
    """The connection carries on: a message sent now comes back stored."""
    await say(communicator, "still here", client_id)
    message = (await next_frame(communicator, "chat.message"))["message"]
    assert message["client_id"] == client_id


async def closed_with(communicator, timeout=2.0):
    """The close code, skipping any frames before it."""
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")


# --- 14.5: text the database cannot store -----------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        '{"type": "chat.send", "body": "nul\\u0000byte", "client_id": "n-1"}',
        '{"type": "chat.send", "body": "lone \\ud800", "client_id": "s-1"}',
        '{"type": "chat.send", "body": "nul\\u0000byte lone-surrogate\\ud800", '
        '"client_id": "ns-1"}',
        '{"type": "chat.send", "body": "fine", "client_id": "id\\u0000"}',
        '{"type": "chat.send", "body": "fine", "client_id": "id\\udfff"}',
    ],
    ids=["nul", "surrogate", "both", "client-id-nul", "client-id-surrogate"],
)
async def test_text_the_database_cannot_store_is_invalid_and_the_socket_stays(
    circle, member, raw
):
    alice = await open_socket(member, circle.slug)
    await alice.send_to(text_data=raw)
    error = await next_frame(alice, "error")
    assert error["code"] == "invalid" and "cannot be stored" in error["detail"]
    await still_open(alice, "after-bad-text")
    assert await database_sync_to_async(ChatMessage.objects.count)() == 1


async def test_a_nul_is_refused_in_words_on_postgresql_too(postgres, circle, member):
    alice = await open_socket(member, circle.slug)
    await say(alice, "nul\x00byte", "pg-nul")
    assert (await next_frame(alice, "error"))["code"] == "invalid"
    await still_open(alice, "pg-after")


@pytest.mark.parametrize(
    "after", ["%C2%B2", "%D9%A3", "-1", "1e3", "9" * 30, "9" * 5000, "x"]
)
async def test_a_bad_after_on_connect_is_answered_and_the_socket_stays(
    circle, member, after
):
    alice = await open_socket(member, circle.slug, after=after)
    error = await next_frame(alice, "error")
    assert error["code"] == "invalid" and "`after`" in error["detail"]
    await still_open(alice, "after-bad-after")


@pytest.mark.parametrize("bound", ["after", "before"])
async def test_history_bounds_past_a_bigint_are_invalid(circle, member, bound):
    alice = await open_socket(member, circle.slug)
    await send(alice, {"type": "chat.history", bound: 10**30})
    assert (await next_frame(alice, "error"))["code"] == "invalid"
    await send(alice, {"type": "chat.history", bound: 2**63 - 1})
    assert (await next_frame(alice, "chat.history"))["messages"] == []
    await still_open(alice, "after-bounds")


# --- 14.6: access that outlives its permission ------------------------------------
async def socket_of_session(client, user, slug):
    """A socket on the session of Django's test `client`."""
    await database_sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    communicator = WebsocketCommunicator(
        application,
        f"/ws/circles/{slug}/",
        headers=[(b"origin", b"http://testserver"), (b"cookie", cookie.encode())],
    )
    connected, _ = await communicator.connect()
    assert connected
    await next_frame(communicator, "presence")
    return communicator


async def test_logging_out_closes_that_sessions_sockets_at_once(circle, member, client):
    alice = await socket_of_session(client, member, circle.slug)
    other_session = await open_socket(member, circle.slug)
    response = await database_sync_to_async(client.post)("/accounts/logout/")
    assert response.status_code == 302
    assert await close_code(alice) == consumers.SESSION_ENDED
    await still_open(other_session, "other-session")  # its own session is intact


@pytest.mark.parametrize("change", ["password", "deactivate"])
async def test_a_password_change_or_deactivation_closes_every_socket(
    circle, other_circle, member, change
):
    add_member_async = database_sync_to_async(add_member)
    await add_member_async(other_circle, member)
    here = await open_socket(member, circle.slug)
    there = await open_socket(member, other_circle.slug)

    def act():
        if change == "password":
            member.set_password("a-new-long-password-2")
        else:
            member.is_active = False
        member.save()

    await database_sync_to_async(act)()
    assert await close_code(here) == consumers.SESSION_ENDED
    assert await close_code(there) == consumers.SESSION_ENDED


@pytest.mark.parametrize("change", ["deactivated", "password"])
async def test_a_write_reloads_the_person_even_if_the_event_was_lost(
    circle, member, change
):
    """Changed behind the signals' back (a queryset update sends none)."""
    alice = await open_socket(member, circle.slug)
    fields = (
        {"is_active": False} if change == "deactivated" else {"password": "changed"}
    )
    await database_sync_to_async(User.objects.filter(pk=member.pk).update)(**fields)
    await say(alice, "through an old socket", "old-1")
    assert (await next_frame(alice, "error"))["code"] == "forbidden"
    assert await close_code(alice) == consumers.REFUSED
    assert await database_sync_to_async(ChatMessage.objects.count)() == 0


async def test_history_reloads_the_person_too(circle, member):
    alice = await open_socket(member, circle.slug)
    await database_sync_to_async(User.objects.filter(pk=member.pk).update)(
        is_active=False
    )
    await send(alice, {"type": "chat.history", "after": 0})
    assert (await next_frame(alice, "error"))["code"] == "forbidden"
    assert await close_code(alice) == consumers.REFUSED


# --- 14.7: a ban while the socket connects ----------------------------------------
async def test_a_ban_landing_right_after_the_connect_check_still_closes_the_socket(
    circle, member, moderator, monkeypatch
):
    """Forced: the ban commits just after the permission check said yes. Joining the
    groups before the check means its event reaches this socket."""
    original = permissions.can_read_circle
    banned = []

    def check_then_ban(user, circle_, *args, **kwargs):
        answer = original(user, circle_, *args, **kwargs)
        if user.pk == member.pk and not banned:
            banned.append(True)
            sanctions.membership_ban(
                actor=moderator, circle=circle, user_id=member.pk, reason="race"
            )
        return answer

    monkeypatch.setattr(permissions, "can_read_circle", check_then_ban)
    alice = await open_socket(member, circle.slug)
    assert banned
    assert await close_code(alice) == consumers.REFUSED


# --- 14.11: muted typing, held messages -------------------------------------------
async def test_a_muted_member_cannot_broadcast_typing(circle, member, moderator):
    alice = await open_socket(member, circle.slug)
    mod = await open_socket(moderator, circle.slug)
    await say(alice, "before the mute", "m-0")  # the socket has asked the rule once
    await next_frame(alice, "chat.message")
    await database_sync_to_async(sanctions.membership_mute)(
        actor=moderator, circle=circle, user_id=member.pk, minutes=10, reason="pause"
    )
    await next_frame(alice, "muted")
    await send(alice, {"type": "typing"})
    assert of_type(await drain(mod), "typing") == []


async def test_a_held_message_stays_in_its_circle_and_hides_no_other_seq(
    circle, other_circle, member
):
    await database_sync_to_async(add_member)(other_circle, member)
    await database_sync_to_async(WatchedWord.objects.create)(
        circle=circle, phrase="holdme", action="hold"
    )
    here = await open_socket(member, circle.slug)
    there = await open_socket(member, other_circle.slug)
    other_host = await open_socket(other_circle.host, other_circle.slug)
    await say(here, "please holdme now", "held-1")
    held = (await next_frame(here, "chat.message"))["message"]
    assert held["held"] and held["seq"] == 1
    await say(other_host, "hello over here", "there-1")
    seen = of_type(await drain(there), "chat.message")
    assert [m["message"]["client_id"] for m in seen] == ["there-1"]
    assert seen[0]["message"]["seq"] == 1


async def test_notifications_are_not_forwarded_on_circle_sockets(circle, member):
    alice = await open_socket(member, circle.slug)
    await get_channel_layer().group_send(
        realtime.user_group(member.pk),
        realtime.client_event("notification.created", {"id": 1, "text": "x"}),
    )
    assert of_type(await drain(alice), "notification.created") == []
    await still_open(alice, "after-notification")


# --- 14.18: sockets per person ----------------------------------------------------
async def test_sockets_over_the_cap_are_closed_with_4429_and_a_reason(
    circle, member, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "SOCKETS_PER_PERSON": Rate(2, None)}
    first = await open_socket(member, circle.slug)
    second = await open_socket(member, circle.slug)
    third = await open_socket(member, circle.slug)
    output = await third.receive_output(2)
    frame = json.loads(output["text"])
    assert frame["code"] == "too_many_sockets" and "2" in frame["detail"]
    assert (await third.receive_output(2)).get("code") == consumers.TOO_MANY_SOCKETS
    await still_open(first, "first")
    await second.disconnect()
    fourth = await open_socket(member, circle.slug)
    await still_open(fourth, "fourth")


async def test_the_cap_comes_from_the_environment(
    circle, member, settings, monkeypatch
):
    monkeypatch.setenv("RATE_LIMIT_SOCKETS_PER_PERSON", "1")
    settings.RATE_LIMITS = parse_rate_limits(os.environ)  # as start-up reads it
    first = await open_socket(member, circle.slug)
    extra = await open_socket(member, circle.slug)
    assert await closed_with(extra) == consumers.TOO_MANY_SOCKETS
    await still_open(first, "first")


async def test_a_write_after_log_out_is_refused_even_if_the_event_was_lost(
    circle, member, client
):
    """The session row is gone (log-out) but no event came: the write asks too."""
    alice = await socket_of_session(client, member, circle.slug)
    key = client.cookies["sessionid"].value
    await database_sync_to_async(Session.objects.filter(session_key=key).delete)()
    await say(alice, "after logging out", "gone-1")
    assert (await next_frame(alice, "error"))["code"] == "forbidden"
    assert await close_code(alice) == consumers.REFUSED
    assert await database_sync_to_async(ChatMessage.objects.count)() == 0
