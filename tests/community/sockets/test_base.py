"""The skeleton both sockets share, tried on both: one per-person cap over every
kind, a bad `?after` answered in words, catch-up and dedup of items sent by id."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from circles import content_events
from circles.chat import services as chat_services
from community import realtime
from community.conversations import events as dm_events
from community.conversations import services as dm_services
from community.sockets.base import TOO_MANY_SOCKETS
from community.sockets.routes import socket_path

from ...circles.chat.ws import drain, next_frame, of_type, open_socket
from ..conversations.conftest import allow  # noqa: F401 (a fixture)
from ..conversations.ws import open_me

pytestmark = pytest.mark.django_db(transaction=True)
db = database_sync_to_async


async def open_kind(kind, user, slug, after=None):
    if kind == "circle":
        return await open_socket(user, slug, after=after)
    return await open_me(user, after=after)


async def answers_frames(communicator):
    """Still open and reading frames: an unknown type is answered, not fatal."""
    await communicator.send_to(text_data=json.dumps({"type": "nope"}))
    frame = await next_frame(communicator, "error")
    assert frame["code"] == "invalid" and frame["detail"].startswith("Unknown")


@pytest.fixture
def first_dm(allow, member, host):  # noqa: F811 (the imported fixture)
    """A conversation from the member to the host: its first message."""
    allow(host)
    return dm_services.message_start(
        sender=member, recipient_id=host.pk, body="first words"
    ).message


@pytest.mark.parametrize("last", ["circle", "me"])
async def test_one_cap_counts_both_kinds_of_socket(circle, member, cap_of, last):
    cap_of(2)
    page = [await open_socket(member, circle.slug), await open_me(member)]
    over = await open_kind(last, member, circle.slug)
    output = await over.receive_output(2)
    frame = json.loads(output["text"])
    assert frame["type"] == "error" and frame["code"] == "too_many_sockets"
    assert "You have 2 live connections" in frame["detail"]
    assert (await over.receive_output(2)).get("code") == TOO_MANY_SOCKETS
    for communicator in page:
        await answers_frames(communicator)
    # Closing either kind frees a place for either kind.
    await page[0].disconnect()
    again = await open_kind(last, member, circle.slug)
    await answers_frames(again)
    await again.disconnect()
    await page[1].disconnect()


async def test_someone_elses_sockets_do_not_count(circle, member, host, cap_of):
    cap_of(1)
    mine = await open_me(member)
    theirs = await open_me(host)
    await answers_frames(theirs)
    await answers_frames(mine)
    await mine.disconnect()
    await theirs.disconnect()


@pytest.mark.parametrize("kind", ["circle", "me"])
@pytest.mark.parametrize("after", ["²", "%C2%B2", "12a", "-1", "99999999999999999999"])
async def test_a_bad_after_answers_invalid_and_the_socket_stays_open(
    circle, member, kind, after
):
    communicator = await open_kind(kind, member, circle.slug, after=after)
    frame = await next_frame(communicator, "error")
    assert frame["code"] == "invalid"
    assert "`after` must be a message id" in frame["detail"]
    await answers_frames(communicator)
    await communicator.disconnect()


async def test_chat_catch_up_is_sent_once_even_when_the_live_event_follows(
    circle, member, host
):
    posted = [
        await db(chat_services.chat_message_post)(
            author=host, circle=circle, body=f"while away {n}", client_id=f"w-{n}"
        )
        for n in range(3)
    ]
    first = posted[0].message
    alice = await open_socket(member, circle.slug, after=first.pk)
    caught = [(await next_frame(alice, "chat.message"))["message"] for _ in range(2)]
    assert [m["seq"] for m in caught] == [2, 3]
    # The live event of a message the catch-up sent arrives late: not sent again.
    await get_channel_layer().group_send(
        realtime.circle_group(circle.pk),
        content_events.chat_message(posted[2].message),
    )
    assert of_type(await drain(alice), "chat.message") == []
    await alice.disconnect()


async def test_dm_catch_up_is_sent_once_even_when_the_live_event_follows(
    first_dm, member, host
):
    talk = first_dm.conversation
    sent = [
        await db(dm_services.dm_send)(author=member, conversation=talk, body=f"m {n}")
        for n in range(2)
    ]
    b = await open_me(host, after=first_dm.pk)
    caught = [(await next_frame(b, "dm.message"))["message"] for _ in range(2)]
    assert [m["id"] for m in caught] == [s.message.pk for s in sent]
    await get_channel_layer().group_send(
        dm_events.me_group(host.pk), dm_events.dm_message(sent[1].message)
    )
    assert of_type(await drain(b), "dm.message") == []
    await b.disconnect()


@pytest.mark.parametrize(
    "kind,frame",
    [
        ("circle", {"type": "chat.send", "body": "once", "client_id": "same"}),
        ("me", {"type": "dm.send", "body": "once", "client_id": "same"}),
    ],
)
async def test_a_resend_with_the_same_client_id_is_stored_once_and_answered(
    first_dm, circle, member, kind, frame
):
    if kind == "me":
        frame = {**frame, "conversation": first_dm.conversation_id}
    communicator = await open_kind(kind, member, circle.slug)
    answers = []
    for _ in range(2):
        await communicator.send_to(text_data=json.dumps(frame))
        answers.append(
            (await next_frame(communicator, "chat.message", "dm.message"))["message"]
        )
    assert answers[0]["id"] == answers[1]["id"]
    assert answers[0]["client_id"] == "same"
    await communicator.disconnect()


def test_socket_paths_come_from_the_routes_the_sockets_serve():
    assert socket_path("circle", slug="quiet-room") == "/ws/circles/quiet-room/"
    assert socket_path("me") == "/ws/me/"


@pytest.fixture
def layer_down(settings):
    """The channel layer pointed at a port where nothing listens (Redis down)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, and closed once the probe is
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [("127.0.0.1", port)]},
        }
    }


@pytest.mark.parametrize("kind", ["circle", "me"])
async def test_with_the_channel_layer_down_a_socket_closes_with_try_again_later(
    circle, member, kind, layer_down, caplog
):
    from community.sockets import base

    base._last_logged["at"] = float("-inf")
    with caplog.at_level("WARNING", logger="community.sockets.base"):
        for _ in range(2):
            communicator = await open_kind(kind, member, circle.slug)
            frame = await next_frame(communicator, "error", timeout=5)
            assert frame["code"] == "unavailable"
            assert frame["detail"] == base.LIVE_DOWN
            closed = await communicator.receive_output(timeout=5)
            assert closed == {"type": "websocket.close", "code": base.TRY_AGAIN_LATER}
            await communicator.wait()
    said = [r for r in caplog.records if "channel layer unavailable" in r.message]
    assert len(said) == 1  # once a minute, not once a socket
