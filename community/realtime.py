"""The one way events leave a service: after the transaction commits.

A broadcast from inside a transaction that later rolls back would tell clients
about data that does not exist; `transaction.on_commit` prevents that. Failures
of the channel layer are logged, never raised: the data is stored and clients
catch up by id.
"""

import asyncio
import json
import logging
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def circle_group(circle_id: int) -> str:
    return f"circle.{circle_id}"


def user_group(user_id: int) -> str:
    """Every socket of one person: their own socket and their circle sockets."""
    return f"user.{user_id}"


def frame(payload: dict) -> str:
    """Serialise a server-to-client frame once, not once per recipient."""
    return json.dumps(payload, separators=(",", ":"))


def client_event(event_type: str, payload: dict) -> dict:
    """A channel-layer event whose client frame is serialised once, here.

    Consumers forward `event["text"]` as it is: one json.dumps per message, not per
    recipient, and nothing a client sent is ever relayed unbuilt.
    """
    return {"type": event_type, "text": frame({"type": event_type, **payload})}


# A broadcast never makes a write wait long: past this, the layer counts as down.
SEND_TIMEOUT_SECONDS = 5.0


async def _group_send(layer, group: str, event: dict) -> None:
    await asyncio.wait_for(layer.group_send(group, event), SEND_TIMEOUT_SECONDS)


def _send(group: str, event: dict) -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        async_to_sync(_group_send)(layer, group, event)
    except Exception:  # the layer is down: stored data is caught up on reconnect
        log.warning("broadcast to %s failed", group, exc_info=True)
        return False
    return True


def broadcast_on_commit(
    group: str, event: dict, *, on_failure: Callable[[], None] | None = None
) -> None:
    """Send `event` to `group` once the current transaction commits; call
    `on_failure` if the channel layer could not take it."""

    def send() -> None:
        if not _send(group, event) and on_failure is not None:
            on_failure()

    transaction.on_commit(send)
