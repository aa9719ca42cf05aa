"""The order of chat broadcasts across processes.

Commits come in `seq` order (the circle's row lock), but broadcasts from several
processes could overtake each other. Each broadcast waits, briefly and bounded,
until the previous `seq` of its circle has gone out from whichever process. When
this process sent the previous one itself (a circle's writes here share one writer
thread, so that is the usual case), it does not ask the cache."""

import logging
import time

from django.core.cache import cache

log = logging.getLogger(__name__)

BROADCAST_ORDER_WAIT_SECONDS = 0.25
_sent_here: dict[int, int] = {}  # circle id -> the last seq broadcast by this process


def _broadcast_key(circle_id: int) -> str:
    return f"chat:broadcast-seq:{circle_id}"


def await_previous_broadcast(circle_id: int, seq: int) -> None:
    if _sent_here.get(circle_id) == seq - 1:
        return
    deadline = time.monotonic() + BROADCAST_ORDER_WAIT_SECONDS
    try:
        while time.monotonic() < deadline:
            last = cache.get(_broadcast_key(circle_id))
            if last is None or last >= seq - 1:
                return
            if _sent_here.get(circle_id, 0) >= seq - 1:
                return
            time.sleep(0.002)
    except Exception:  # the cache is down: order is then best effort, as before
        log.warning("broadcast order not checked", exc_info=True)


def mark_broadcast(circle_id: int, seq: int) -> None:
    _sent_here[circle_id] = seq
    try:
        cache.set(_broadcast_key(circle_id), seq, 600)
    except Exception:
        log.warning("broadcast order not recorded", exc_info=True)
