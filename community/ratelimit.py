"""Fixed-window rate limits kept in Django's cache (Redis when REDIS_URL is set, so
every process shares the same counts)."""

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int
    message: str


LOGIN_PER_USERNAME = Limit(
    10,
    15 * 60,
    "Too many log-in attempts for this account. Please wait 15 minutes and try again.",
)
LOGIN_PER_ADDRESS = Limit(
    30,
    15 * 60,
    "Too many log-in attempts from your network. Please wait 15 minutes and try again.",
)
SIGNUP_PER_ADDRESS = Limit(
    5,
    60 * 60,
    "Too many new accounts from your network in the last hour. Please try again later.",
)
POSTS_PER_USER = Limit(
    20,
    5 * 60,
    "You are posting very quickly. Please wait a few minutes; your text is still here.",
)
FLAGS_PER_USER = Limit(
    30,
    60 * 60,
    "You have sent many flags in the last hour. The "
    "moderators have them; please wait before sending more.",
)


class RateLimited(Exception):
    def __init__(self, limit: Limit):
        self.limit = limit
        super().__init__(limit.message)


def _key(scope: str, ident: str, seconds: int) -> str:
    window = int(time.time() // seconds)
    return f"rl:{scope}:{ident}:{window}"


def hit(scope: str, ident: str, limit: Limit) -> None:
    """Count one attempt; raise RateLimited once the window's count is exceeded."""
    key = _key(scope, ident, limit.seconds)
    try:
        cache.add(key, 0, timeout=limit.seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limit.seconds + 5)
            count = 1
    except Exception:  # the cache (Redis) is down: log in and post rather than fail
        log.warning(
            "rate limit %s not counted: cache unavailable", scope, exc_info=True
        )
        return
    if count > limit.count:
        raise RateLimited(limit)


def client_address(request) -> str:
    """The client's address. Behind the compose file's proxy daphne runs with
    --proxy-headers, so REMOTE_ADDR is already the real client."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
