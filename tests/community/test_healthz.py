"""/healthz against real Redis through a real daphne: many checks leave no channel,
subscription or socket behind (issue 14, item 3)."""

import asyncio
import json
import os
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis
from channels.layers import get_channel_layer

from community import views
from tests.live_server import LiveDaphne

CHECKS = 300


def subscriptions(client: redis.Redis, prefix: str) -> int:
    return len(client.pubsub_channels(f"{prefix}*"))


def open_sockets(pid: int) -> int:
    fds = Path(f"/proc/{pid}/fd")
    return sum(1 for fd in fds.iterdir() if os.readlink(fd).startswith("socket:"))


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


@pytest.mark.django_db(transaction=True)
def test_many_health_checks_leave_nothing_behind_in_redis(redis_url):
    prefix = f"hz{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(redis_url)
    keys_before = client.dbsize()
    server = LiveDaphne(REDIS_URL=redis_url, CHANNEL_LAYER_PREFIX=prefix).start()
    try:
        status, body = get(server.url + "/healthz")
        assert status == 200
        assert json.loads(body) == {
            "db": "ok",
            "channel_layer": "ok",
            "worker": "down",
            "scheduler": "down",
        }
        warm_channels = subscriptions(client, prefix)
        warm_sockets = open_sockets(server.proc.pid)
        assert warm_channels == 1
        for _ in range(CHECKS):
            assert get(server.url + "/healthz")[0] == 200
        assert subscriptions(client, prefix) == warm_channels
        assert open_sockets(server.proc.pid) <= warm_sockets + 2
        assert client.dbsize() <= keys_before
    finally:
        server.stop()
        client.close()
    assert subscriptions(redis.Redis.from_url(redis_url), prefix) == 0


async def test_one_channel_is_reused_and_a_timed_out_check_recovers(monkeypatch):
    layer = get_channel_layer()
    assert await views._channel_layer_ok()
    channel = views._health_channels[asyncio.get_running_loop()]
    await layer.send(channel, {"type": "healthz.ping", "token": "left over"})
    assert await views._channel_layer_ok()
    assert views._health_channels[asyncio.get_running_loop()] == channel

    real_receive = layer.receive

    async def stuck(name):
        await asyncio.sleep(60)

    monkeypatch.setattr(views, "HEALTH_TIMEOUT_SECONDS", 0.05)
    monkeypatch.setattr(layer, "receive", stuck)
    assert not await views._channel_layer_ok()
    monkeypatch.setattr(layer, "receive", real_receive)
    assert await views._channel_layer_ok()
    assert views._health_channels[asyncio.get_running_loop()] != channel
