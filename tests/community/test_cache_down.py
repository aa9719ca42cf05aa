"""Redis down: every page still renders (no cache, no shared limits), "I'm not OK"
included with its card, and the outage is logged once a minute, not per request."""

import logging

import pytest
from django.test import override_settings

from community import cache as tolerant

from ..factories import ChatMessageFactory, PostFactory, ThreadFactory
from ..header_counts import DEAD_REDIS

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_redis():
    with override_settings(CACHES=DEAD_REDIS):
        yield


def test_every_page_renders_without_redis(client, circle, member, no_redis, caplog):
    thread = ThreadFactory(circle=circle, author=member, title="Sleeping badly")
    PostFactory(thread=thread, author=member, body="I can't sleep at night")
    ChatMessageFactory(circle=circle, author=member, body="hello")
    client.force_login(member)
    with caplog.at_level(logging.WARNING, logger="community.cache"):
        for url in [
            "/",
            "/circles/",
            circle.get_absolute_url(),
            thread.get_absolute_url(),
            f"/circles/{circle.slug}/members/",
            "/search/?q=sleep",
            "/notifications/",
            "/accounts/settings/",
        ]:
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
        response = client.post(f"/circles/{circle.slug}/not-ok/", follow=True)
        assert response.status_code == 200
        assert 'id="crisis-resources"' in response.content.decode()
    warnings = [r for r in caplog.records if r.name == "community.cache"]
    assert len(warnings) == 1  # once a minute, not per request


def test_the_outage_is_retried_and_warned_about_once_a_minute(monkeypatch, caplog):
    now = [1000.0]
    monkeypatch.setattr(tolerant.time, "monotonic", lambda: now[0])
    cache = tolerant.ReusingRedisCache("redis://127.0.0.1:1/0", {})
    tried = []
    real = tolerant.RedisCache.get

    def counting(self, *args, **kwargs):
        tried.append(now[0])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(tolerant.RedisCache, "get", counting)
    with caplog.at_level(logging.WARNING, logger="community.cache"):
        assert cache.get("k", "fallback") == "fallback"
        assert cache.get("k") is None  # within RETRY_SECONDS: Redis is not asked
        now[0] += tolerant.RETRY_SECONDS + 1
        assert cache.get("k") is None  # asked again, fails again, no new warning
        now[0] += tolerant.WARN_EVERY_SECONDS
        cache.get("k")
    assert len(tried) == 3
    assert len([r for r in caplog.records if r.name == "community.cache"]) == 2
    assert cache.incr("n") == 1 and cache.add("n", 0) is True


@pytest.mark.django_db(transaction=True)
async def test_circle_and_personal_sockets_open_without_redis_cache(
    circle, member, no_redis
):
    from ..circles.chat.ws import drain, open_socket
    from .conversations.ws import open_me

    chat = await open_socket(member, circle.slug)
    await drain(chat)
    me = await open_me(member)
    await chat.disconnect()
    await me.disconnect()
