"""Chat on the real services: an idle socket survives Redis's read timeout, and two
daphne processes behind one Redis and one PostgreSQL act as one."""

import asyncio
import json
import urllib.error
import urllib.request

import pytest
import websockets
from channels.db import database_sync_to_async

from circles.chat import consumers
from circles.memberships import sanctions
from community.ratelimit_config import Rate

from ...factories import UserFactory, add_member
from ...live_server import LiveDaphne
from .ws import next_frame, open_socket, say, session_cookie


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
async def test_an_idle_socket_still_hears_messages_after_six_seconds(
    redis_url, settings, circle, member, host
):
    """channels-redis with redis-py 8 dropped idle sockets after 5 s
    (channels_redis #422); the layer runs with socket_timeout=None."""
    assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    listener = await open_socket(member, circle.slug)
    await next_frame(listener, "presence")
    await asyncio.sleep(6.5)
    speaker = await open_socket(host, circle.slug)
    await say(speaker, "are you still there?", "idle-1")
    message = (await next_frame(listener, "chat.message", timeout=5))["message"]
    assert message["client_id"] == "idle-1"
    await listener.disconnect()
    await speaker.disconnect()


class Client:
    """A member's socket to one daphne process, recording the messages it sees."""

    def __init__(self, server: LiveDaphne, slug: str, cookie: str):
        self.url = f"ws://127.0.0.1:{server.port}/ws/circles/{slug}/"
        self.headers = {"Cookie": cookie, "Origin": server.url}
        self.messages: list[dict] = []
        self.closed_code = None

    async def __aenter__(self):
        self.ws = await websockets.connect(self.url, additional_headers=self.headers)
        self.reader = asyncio.create_task(self.read())
        return self

    async def read(self):
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                if frame["type"] == "chat.message":
                    self.messages.append(frame["message"])
        except websockets.ConnectionClosed:
            pass
        self.closed_code = self.ws.close_code

    async def say(self, body: str, client_id: str):
        await self.ws.send(
            json.dumps({"type": "chat.send", "body": body, "client_id": client_id})
        )

    async def __aexit__(self, *exc):
        await self.ws.close()
        await self.reader


@pytest.fixture
def two_servers(transactional_db, redis_url, postgres):
    servers = [LiveDaphne(CHAT_RATE_LIMIT_COUNT="100000").start() for _ in range(2)]
    yield servers
    for server in servers:
        server.stop()


@pytest.mark.redis
@pytest.mark.postgres
def test_two_daphne_processes_behind_one_redis_act_as_one(
    two_servers, circle, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "CHAT": Rate(10_000, 10.0)}
    people = [UserFactory(display_name=f"Proc Person {n}") for n in range(2)]
    for person in people:
        add_member(circle, person)
    cookies = [asyncio.run(session_cookie(person)) for person in people]
    per_sender = 150

    async def run():
        a_server, b_server = two_servers
        async with (
            Client(a_server, circle.slug, cookies[0]) as a,
            Client(b_server, circle.slug, cookies[1]) as b,
        ):
            await asyncio.sleep(0.5)
            for n in range(per_sender):
                await a.say(f"from A {n}", f"a-{n}")
                await b.say(f"from B {n}", f"b-{n}")
            deadline = asyncio.get_running_loop().time() + 20
            while (
                min(len(a.messages), len(b.messages)) < 2 * per_sender
                and asyncio.get_running_loop().time() < deadline
            ):
                await asyncio.sleep(0.1)
            return a.messages, b.messages

    seen_a, seen_b = asyncio.run(run())
    assert len(seen_a) == len(seen_b) == 2 * per_sender
    assert [m["seq"] for m in seen_a] == list(range(1, 2 * per_sender + 1))
    assert [m["id"] for m in seen_a] == [m["id"] for m in seen_b]


@pytest.mark.redis
@pytest.mark.postgres
def test_a_ban_on_one_process_closes_the_socket_held_on_another(
    two_servers, circle, member, moderator
):
    cookie = asyncio.run(session_cookie(member))

    async def run():
        async with Client(two_servers[1], circle.slug, cookie) as held:
            await asyncio.sleep(0.5)
            await database_sync_to_async(sanctions.membership_ban)(
                actor=moderator, circle=circle, user_id=member.pk, reason="test"
            )
            await asyncio.wait_for(held.reader, 3)
            return held.closed_code

    assert asyncio.run(run()) == 4403


def post_form(server: LiveDaphne, path: str, cookie: str) -> int:
    """POST with Django's double-submit CSRF token, as a browser form would."""
    token = "t" * 32
    request = urllib.request.Request(
        server.url + path,
        method="POST",
        data=f"csrfmiddlewaretoken={token}".encode(),
        headers={
            "Cookie": f"{cookie}; csrftoken={token}",
            "Origin": server.url,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=10).status
    except urllib.error.HTTPError as answer:
        return answer.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.redis
@pytest.mark.postgres
def test_logging_out_on_one_process_closes_the_socket_held_on_another(
    two_servers, circle, member
):
    cookie = asyncio.run(session_cookie(member))

    async def run():
        async with Client(two_servers[1], circle.slug, cookie) as held:
            await asyncio.sleep(0.5)
            status = await asyncio.to_thread(
                post_form, two_servers[0], "/accounts/logout/", cookie
            )
            await asyncio.wait_for(held.reader, 3)
            return status, held.closed_code

    assert asyncio.run(run()) == (302, consumers.SESSION_ENDED)


@pytest.fixture
def two_capped_servers(transactional_db, redis_url, postgres):
    servers = [LiveDaphne(RATE_LIMIT_SOCKETS_PER_PERSON="1").start() for _ in range(2)]
    yield servers
    for server in servers:
        server.stop()


@pytest.mark.redis
@pytest.mark.postgres
def test_the_socket_cap_counts_across_processes(two_capped_servers, circle, member):
    cookie = asyncio.run(session_cookie(member))

    async def run():
        async with Client(two_capped_servers[0], circle.slug, cookie) as first:
            await asyncio.sleep(0.5)
            async with Client(two_capped_servers[1], circle.slug, cookie) as second:
                await asyncio.wait_for(second.reader, 3)
                return first.closed_code, second.closed_code

    assert asyncio.run(run()) == (None, consumers.TOO_MANY_SOCKETS)
