"""Helpers for WebSocket tests: a communicator on the real ASGI application, logged
in through a real session cookie, and frame readers that skip the chatter."""

import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from community.asgi import application

ORIGIN = "http://testserver"


@database_sync_to_async
def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


async def open_socket(user, slug, *, after=None, origin=ORIGIN, expect_open=True):
    """Connect `user` (None: anonymous) to the circle's socket."""
    headers = []
    if origin is not None:
        headers.append((b"origin", origin.encode("latin-1")))
    if user is not None:
        headers.append((b"cookie", (await session_cookie(user)).encode()))
    path = f"/ws/circles/{slug}/" + (f"?after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    communicator.accepted = connected
    if expect_open:
        assert connected
    return communicator


async def drain(communicator, *, wait=0.3) -> list[dict]:
    """Every frame that arrives within `wait` seconds (without cancelling the app, as
    a receive timeout would)."""
    import asyncio

    await asyncio.sleep(wait)
    frames = []
    while not communicator.output_queue.empty():
        output = communicator.output_queue.get_nowait()
        if output["type"] == "websocket.send":
            frames.append(json.loads(output["text"]))
    return frames


def of_type(frames, kind) -> list[dict]:
    return [f for f in frames if f["type"] == kind]


async def next_frame(communicator, *types, timeout=8.0) -> dict:
    """The next frame of one of `types` (all types when none given), skipping others."""
    while True:
        frame = json.loads(await communicator.receive_from(timeout=timeout))
        if not types or frame["type"] in types:
            return frame


async def close_code(communicator, timeout=2.0):
    """Read until the socket closes; fail on a data frame other than chatter."""
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")
        frame = json.loads(output["text"])
        assert frame["type"] in ("presence", "typing"), f"data before close: {frame}"


async def send(communicator, frame) -> None:
    await communicator.send_to(text_data=json.dumps(frame))


async def say(communicator, body, client_id) -> None:
    await send(
        communicator, {"type": "chat.send", "body": body, "client_id": client_id}
    )
