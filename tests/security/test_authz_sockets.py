"""The authorization matrix for `/ws/me/`: every kind of visitor, and the cap on
sockets open at once, which `/ws/me/` shares with circle sockets (an attacker once
held 150 `/ws/me/` sockets open)."""

import json

import pytest
from channels.testing import WebsocketCommunicator

from community.asgi import application
from community.ratelimit_config import Rate
from community.sockets.base import REFUSED, TOO_MANY_SOCKETS

from ..circles.chat.ws import ORIGIN, session_cookie
from .matrix_world import READERS, VISITORS, build_world

pytestmark = pytest.mark.django_db(transaction=True)
CAP = 3


@pytest.fixture
def world(transactional_db, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "SOCKETS_PER_PERSON": Rate(CAP, None),
    }
    return build_world(private=False)


async def connect(path, cookie):
    headers = [(b"origin", ORIGIN.encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected  # accepted, then closed with a code the browser can read
    return communicator


async def close_code_after_error(communicator):
    """(error code or None, close code) of a socket that is closed at once."""
    code = None
    while True:
        # A generous wait: under a loaded CI run the first sockets of a process
        # can take seconds to be refused; what is checked is the code, not the time.
        output = await communicator.receive_output(10)
        if output["type"] == "websocket.close":
            return code, output.get("code")
        frame = json.loads(output["text"])
        if frame["type"] == "error":
            code = frame["code"]


@pytest.mark.parametrize("visitor", VISITORS)
async def test_ws_me_holds_the_cap_for_every_visitor(world, visitor):
    person = world["people"][visitor]
    cookie = await session_cookie(person) if person is not None else None
    if person is None:
        refused = await connect("/ws/me/", None)
        assert await close_code_after_error(refused) == (None, REFUSED)
        return
    # Whatever they may read, every logged-in person gets CAP sockets in all.
    held = [await connect("/ws/me/", cookie) for _ in range(CAP)]
    over = await connect("/ws/me/", cookie)
    assert await close_code_after_error(over) == ("too_many_sockets", TOO_MANY_SOCKETS)
    circle = await connect(f"/ws/circles/{world['circle'].slug}/", cookie)
    # A circle socket counts in the same cap; who may not read is refused first.
    expected = TOO_MANY_SOCKETS if visitor in READERS else REFUSED
    assert (await close_code_after_error(circle))[1] == expected
    await held[0].disconnect()
    again = await connect("/ws/me/", cookie)
    assert await again.receive_nothing(0.2)
    for communicator in [*held[1:], again]:
        await communicator.disconnect()
