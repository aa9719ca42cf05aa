"""Rate limits kept in Django's cache (Redis when REDIS_URL is set, so every process
shares the same counts). `hit_action` reads the limits of `settings.RATE_LIMITS`
(README: Rate limits); `attempt_*` give log-ins a growing backoff."""

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from community import proxies

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int
    message: str


class RateLimited(Exception):
    def __init__(self, limit: Limit, retry_after: float | None = None):
        self.limit = limit
        self.retry_after = limit.seconds if retry_after is None else retry_after
        super().__init__(limit.message)


def _digest(ident: str) -> str:
    """Idents may hold usernames, addresses or anything a client sent: keep them
    out of the cache's keys."""
    return hashlib.blake2b(ident.encode("utf-8", "replace"), digest_size=16).hexdigest()


def _key(scope: str, ident: str, seconds: int) -> str:
    window = int(time.time() // seconds)
    return f"rl:{scope}:{ident}:{window}"


def _count(key: str, timeout: float) -> int | None:
    """Add one to `key`; None when the cache (Redis) is down."""
    timeout = math.ceil(timeout) + 5
    try:
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            return 1
    except Exception:  # the cache is down: let people in rather than fail
        log.warning("rate limit %s not counted: cache unavailable", key, exc_info=True)
        return None


# What each action counts, said to the person who reached its limit. Every sentence
# is followed by when they may try again.
ACTION_SENTENCES = {
    "CHAT": "You are sending messages very quickly.",
    "POST": "You are posting very quickly; your text is still here.",
    "FLAG": "You have sent many flags recently. The moderators have them.",
    "SIGNUP": "Too many new accounts were asked for from your network.",
    "LOGIN_ACCOUNT": "Too many log-in attempts for this account from your network.",
    "LOGIN_ADDRESS": "Too many log-in attempts from your network.",
    "ADMIN_LOGIN": "Too many log-in attempts for the admin site from your network.",
    "CIRCLE_CREATE": "You have started several circles recently.",
    "DM": "You are sending private messages very quickly; your text is still here.",
    "REACTION": "You are reacting very quickly.",
    "SEARCH": "You are searching very quickly.",
    "PASSWORD_RESET": "Too many password resets were asked for.",
    "NOT_OK": "You told the moderators you are not OK a moment ago, and they have that message.",
    "VERIFY_EMAIL": "We sent several confirmation links recently. No new one was "
    "sent and your address is unchanged.",
    "JOIN_REQUEST": "You have asked to join this circle several times recently.",
    "DM_REPORT": "You have sent many reports recently. The staff have them.",
}


def in_words(seconds: float) -> str:
    """'in 40 seconds', 'in 3 minutes', 'in 2 hours': rounded up, never 'in 0'."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"in {seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"in {hours} hour{'s' if hours != 1 else ''}"


def action_limit(action: str, retry_after: float) -> Limit:
    rate = settings.RATE_LIMITS[action]
    message = f"{ACTION_SENTENCES[action]} Please try again {in_words(retry_after)}."
    return Limit(rate.count, math.ceil(rate.seconds), message)


def hit_action(action: str, ident: str) -> None:
    """Count one `action` by `ident` (a user id, an address...) against
    settings.RATE_LIMITS[action]; raise RateLimited, with a sentence saying when to
    try again, once the window's count is exceeded."""
    rate = settings.RATE_LIMITS[action]
    if rate.seconds is None:
        raise ValueError(f"{action} is a count-only cap, not a rate: read its count.")
    count = _count(_key(f"a:{action}", _digest(ident), rate.seconds), rate.seconds)
    if count is not None and count > rate.count:
        retry_after = rate.seconds - (time.time() % rate.seconds)
        raise RateLimited(action_limit(action, retry_after), retry_after)


# --- Attempts with a growing backoff (log-ins) -------------------------------------
# After `count` failed attempts, each further attempt must wait `seconds` after the
# one before, doubled after every further failure, up to a day. An attempt is counted
# before it is tried, so parallel attempts cannot all slip through one check; one
# that is refused is not counted, and one that succeeds is taken back.
BACKOFF_CAP_SECONDS = 24 * 60 * 60
_BACKOFF_TTL = 2 * BACKOFF_CAP_SECONDS


def _backoff_keys(action: str, ident: str) -> tuple[str, str]:
    digest = _digest(ident)
    return f"rl:b:{action}:{digest}:n", f"rl:b:{action}:{digest}:t"


def _wait(action: str, earlier: int) -> float:
    rate = settings.RATE_LIMITS[action]
    if earlier < rate.count:
        return 0.0
    return min(rate.seconds * 2 ** (earlier - rate.count), BACKOFF_CAP_SECONDS)


def attempt_begin(action: str, ident: str) -> None:
    """Count one attempt by `ident`; raise RateLimited (the attempt uncounted) while
    it must still wait after the attempts before it."""
    count_key, last_key = _backoff_keys(action, ident)
    attempts = _count(count_key, _BACKOFF_TTL)
    if attempts is None:  # the cache is down: let people in
        return
    try:
        last = cache.get(last_key) or 0.0
        now = time.time()
        retry_after = last + _wait(action, attempts - 1) - now
        if retry_after > 0:
            cache.decr(count_key)
            raise RateLimited(action_limit(action, retry_after), retry_after)
        cache.set(last_key, now, timeout=_BACKOFF_TTL)
    except RateLimited:
        raise
    except Exception:
        log.warning("backoff %s not read: cache unavailable", action, exc_info=True)


def attempt_undo(action: str, ident: str) -> None:
    """Take back an attempt that was not made after all (another limit refused it)
    or that succeeded."""
    try:
        cache.decr(_backoff_keys(action, ident)[0])
    except Exception:
        log.warning("backoff %s not updated: cache unavailable", action, exc_info=True)


def attempt_succeeded(action: str, ident: str, *, forget: bool = False) -> None:
    """An attempt succeeded: it is no failure. `forget` drops the earlier failures
    too (the owner got in: their own mistakes no longer count)."""
    if not forget:
        attempt_undo(action, ident)
        return
    try:
        cache.delete_many(list(_backoff_keys(action, ident)))
    except Exception:
        log.warning("backoff %s not cleared: cache unavailable", action, exc_info=True)


def client_address(request) -> str:
    """The client's address, as limits count it: X-Forwarded-For is read only from
    TRUSTED_PROXIES (community.proxies). An IPv6 address counts by its /64, the
    block one subscriber usually holds: counting each address alone would let one
    machine step around every limit."""
    address = proxies.client_ip(request.META)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
