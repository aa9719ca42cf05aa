"""Sockets open at once, per person: one count for every kind of socket (circle
sockets and `/ws/me/`), `settings.RATE_LIMITS["SOCKETS_PER_PERSON"]` at most.

Each open socket holds one numbered slot in the cache (Redis when REDIS_URL is set,
so every process shares them): `cache.add` takes a free slot atomically, the socket
renews it while it lives (`keep`, from its heartbeat) and frees it when it closes.
A slot of a process that died is never freed, but expires SLOT_SECONDS after its
last renewal, so a crash shuts nobody out for long. With the cache down, sockets are
let in uncounted (and a warning logged): live updates matter more than the cap.
"""

import logging

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 60  # how often an open socket renews its slot
SLOT_SECONDS = 150  # a slot not renewed for this long is free again
TOO_MANY = (
    "You have {cap} live connections to this site open already (each page or tab "
    "holds one or two), the most one person may. Close a page or tab of this site, "
    "then reload this one."
)


class TooManySockets(Exception):
    code = "too_many_sockets"

    def __init__(self, cap: int):
        self.detail = TOO_MANY.format(cap=cap)
        super().__init__(self.detail)


def sockets_per_person() -> int:
    return settings.RATE_LIMITS["SOCKETS_PER_PERSON"].count


def _slot(user_id: int, number: int) -> str:
    return f"sockets:{user_id}:{number}"


def claim(*, user_id: int, connection: str) -> str | None:
    """Take a free slot for `connection` (a channel name): its key, or None when the
    cache is down. TooManySockets when every slot is held."""
    cap = sockets_per_person()
    try:
        for number in range(cap):
            key = _slot(user_id, number)
            if cache.add(key, connection, timeout=SLOT_SECONDS):
                return key
    except Exception:
        log.warning("socket not counted: cache unavailable", exc_info=True)
        return None
    raise TooManySockets(cap)


def keep(*, slot: str, connection: str) -> None:
    """Renew the slot while the socket lives (it may have expired meanwhile, after a
    long pause of the process: take it again if it is still free)."""
    try:
        if cache.get(slot) == connection:
            cache.touch(slot, SLOT_SECONDS)
        else:
            cache.add(slot, connection, timeout=SLOT_SECONDS)
    except Exception:
        log.warning("socket slot not renewed: cache unavailable", exc_info=True)


def release(*, slot: str, connection: str) -> None:
    try:
        if cache.get(slot) == connection:
            cache.delete(slot)
    except Exception:
        log.warning("socket slot not freed: cache unavailable", exc_info=True)
