import asyncio
import weakref
from uuid import uuid4

import redis
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from circles.memberships.services import DEFAULT_GUIDELINES
from community.jobs import health

HEALTH_TIMEOUT_SECONDS = 2.0

# One health channel per process and event loop, made by the first check and reused
# by every later one: a channel per check was never released (each left a Redis
# subscription behind). The lock keeps two checks from reading each other's ping.
_health_channels: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, str]" = (
    weakref.WeakKeyDictionary()
)
_health_locks: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = (
    weakref.WeakKeyDictionary()
)
_redis_clients: dict[str, redis.Redis] = {}


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def _redis_ok() -> bool:
    """A direct PING: the pub/sub layer can look healthy to its own process while
    Redis is gone. One client (and its pool) per process, not one per check."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return True
    try:
        client = _redis_clients.get(url)
        if client is None:
            client = _redis_clients[url] = redis.Redis.from_url(
                url, socket_connect_timeout=1, socket_timeout=1
            )
        return bool(client.ping())
    except Exception:
        return False


def _database_and_redis() -> tuple[bool, bool, dict[str, str]]:
    database = _database_ok()
    background = (
        health.background_states()
        if database
        else {"worker": health.DOWN, "scheduler": health.DOWN}
    )
    return database, _redis_ok(), background


async def _layer_roundtrip() -> bool:
    """Send a ping with a fresh token on this process's health channel and read
    until it comes back, dropping pings a timed-out check left behind."""
    loop = asyncio.get_running_loop()
    lock = _health_locks.setdefault(loop, asyncio.Lock())
    async with lock:
        layer = get_channel_layer()
        channel = _health_channels.get(loop)
        if channel is None:
            channel = _health_channels[loop] = await layer.new_channel("healthz.")
        token = uuid4().hex
        try:
            await layer.send(channel, {"type": "healthz.ping", "token": token})
            while (await layer.receive(channel)).get("token") != token:
                pass
        except BaseException:
            # A cancelled receive unsubscribes the channel: start a new one next time.
            _health_channels.pop(loop, None)
            raise
        return True


async def _channel_layer_ok() -> bool:
    try:
        return await asyncio.wait_for(_layer_roundtrip(), HEALTH_TIMEOUT_SECONDS)
    except Exception:
        return False


async def healthz(request):
    """Each of db, channel_layer, worker and scheduler `ok`, `late` or `down`
    (docs/operating.md: Health); 503 only when the database or the channel layer
    is down: the site still serves pages while background work is behind."""
    database, redis_up, background = await sync_to_async(_database_and_redis)()
    layer = redis_up and await _channel_layer_ok()
    status = {
        "db": "ok" if database else "down",
        "channel_layer": "ok" if layer else "down",
        **background,
    }
    healthy = database and layer
    return JsonResponse(status, status=200 if healthy else 503)


def home(request):
    """What this place is, for whom, how it works; the directory is /circles/."""
    guidelines = [line for line in DEFAULT_GUIDELINES.splitlines() if line.strip()]
    return render(request, "home.html", {"guidelines": guidelines})


def favicon(request):
    """Browsers and crawlers ask `/favicon.ico` whatever the page links: send them
    to the SVG icon (its name carries its hash, so the redirect itself is cached
    for a day only)."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


def privacy(request):
    return render(request, "privacy.html")
