import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from circles.services import DEFAULT_GUIDELINES

HEALTH_TIMEOUT_SECONDS = 2.0


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


async def _layer_roundtrip() -> bool:
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    message = await layer.receive(channel)
    return message.get("type") == "healthz.ping"


def _redis_ok() -> bool:
    """A direct PING: the pub/sub layer can look healthy to its own process while
    Redis is gone."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return True
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except Exception:
        return False


def _channel_layer_ok() -> bool:
    if not _redis_ok():
        return False

    async def check():
        try:
            return await asyncio.wait_for(_layer_roundtrip(), HEALTH_TIMEOUT_SECONDS)
        except Exception:
            return False

    return async_to_sync(check)()


def healthz(request):
    """200 when the database and the channel layer answer; 503 naming what is down."""
    status = {
        "db": "ok" if _database_ok() else "down",
        "channel_layer": "ok" if _channel_layer_ok() else "down",
    }
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)


def home(request):
    """What this place is, for whom, how it works; the directory is /circles/."""
    guidelines = [line for line in DEFAULT_GUIDELINES.splitlines() if line.strip()]
    return render(request, "home.html", {"guidelines": guidelines})


def privacy(request):
    return render(request, "privacy.html")
