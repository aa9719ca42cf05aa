"""WebSocket Origins are compared by scheme, host and port with the site's own
origins (issue 14, item 19): another server on the same machine is refused."""

import pytest
from channels.testing import WebsocketCommunicator

from community.asgi import application
from community.origins import origin_allowed, parse_origin
from tests.circles.chat.ws import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def connects(user, slug, origin, host=None) -> bool:
    headers = [(b"cookie", (await session_cookie(user)).encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode("latin-1")))
    if host is not None:
        headers.append((b"host", host.encode("latin-1")))
    communicator = WebsocketCommunicator(
        application, f"/ws/circles/{slug}/", headers=headers
    )
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return connected


@pytest.mark.parametrize(
    "origin, host_header",
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("http://localhost:8000", "localhost:8000"),
        ("http://testserver", None),
        ("http://testserver:80", None),
        ("http://TestServer", None),
        ("https://testserver", None),
    ],
)
async def test_the_sites_own_origin_connects(circle, member, origin, host_header):
    assert await connects(member, circle.slug, origin, host_header)


@pytest.mark.parametrize(
    "origin, host_header",
    [
        ("http://127.0.0.1:9999", "127.0.0.1:8000"),
        ("http://127.0.0.1:9999", None),
        ("https://127.0.0.1:8000", "127.0.0.1:8000"),
        ("http://127.0.0.1", "127.0.0.1:8000"),
        ("http://localhost:8000", "127.0.0.1:8000"),
        ("http://testserver:8080", None),
        ("https://testserver:8443", None),
        ("ws://testserver", None),
        ("ftp://testserver", None),
        ("http://user@testserver", None),
        ("http://testserver/", None),
        ("http://testserver/chat", None),
        ("http://evil.example", "evil.example"),
        ("http://testserver:notaport", None),
        ("null", "testserver"),
        (None, "testserver"),
    ],
)
async def test_another_origin_is_refused(circle, member, origin, host_header):
    assert not await connects(member, circle.slug, origin, host_header)


async def test_csrf_trusted_origins_connect_with_their_port(circle, member, settings):
    settings.CSRF_TRUSTED_ORIGINS = [
        "https://circles.example.org:8443",
        "https://*.example.net",
    ]
    assert await connects(member, circle.slug, "https://circles.example.org:8443")
    assert await connects(member, circle.slug, "https://a.b.example.net")
    assert not await connects(member, circle.slug, "https://circles.example.org")
    assert not await connects(member, circle.slug, "http://a.example.net")
    assert not await connects(member, circle.slug, "https://example.net.evil.io")


def scope(origin, host=None, scheme="ws"):
    headers = [(b"origin", origin.encode())]
    if host:
        headers.append((b"host", host.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


def test_a_secure_connection_wants_a_secure_origin(settings):
    settings.ALLOWED_HOSTS = ["circles.example.org"]
    assert origin_allowed(scope("https://circles.example.org", scheme="wss"))
    assert origin_allowed(
        scope("https://circles.example.org", "circles.example.org", "wss")
    )
    assert not origin_allowed(
        scope("http://circles.example.org", "circles.example.org", "wss")
    )
    # Behind a TLS proxy the process sees plain ws with the public Host.
    assert origin_allowed(scope("https://circles.example.org", "circles.example.org"))
    assert not origin_allowed(scope("https://circles.example.org:444"))


def test_a_host_header_outside_allowed_hosts_is_no_origin(settings):
    settings.ALLOWED_HOSTS = ["circles.example.org"]
    assert not origin_allowed(scope("http://127.0.0.1:8000", "127.0.0.1:8000"))


@pytest.mark.parametrize(
    "value, parsed",
    [
        ("http://a.example", ("http", "a.example", "80")),
        ("https://A.Example:8443", ("https", "a.example", "8443")),
        ("http://[::1]:8000", ("http", "[::1]", "8000")),
        ("http://a.example\r\nX: 1", None),
        ("http://a.example\x00", None),
        ("http://", None),
        ("http://a.example?x", None),
        ("http://a.example#x", None),
    ],
)
def test_origins_are_parsed_strictly(value, parsed):
    assert parse_origin(value) == parsed
