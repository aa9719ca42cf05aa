"""A `/ws/me/` communicator on the real ASGI application with a real session."""

import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from community.asgi import application

ORIGIN = "http://testserver"


@database_sync_to_async
def new_session(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


async def open_me(user, *, after=None, session_key=None):
    """Connect `user` (None: anonymous) to `/ws/me/`; `.session_key` is kept."""
    headers = [(b"origin", ORIGIN.encode())]
    if user is not None:
        session_key = session_key or await new_session(user)
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    path = "/ws/me/" + (f"?after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    communicator.session_key = session_key
    return communicator


async def frame_of(communicator, *types, timeout=2.0) -> dict:
    while True:
        frame = json.loads(await communicator.receive_from(timeout=timeout))
        if not types or frame["type"] in types:
            return frame


async def closed_with(communicator, timeout=2.0):
    """The close code; fails on a data frame before the close."""
    output = await communicator.receive_output(timeout=timeout)
    assert output["type"] == "websocket.close", f"data before close: {output}"
    return output.get("code")


async def send_json(communicator, frame) -> None:
    await communicator.send_to(text_data=json.dumps(frame))
