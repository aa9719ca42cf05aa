"""The one way events leave a service: after the transaction commits.

A broadcast from inside a transaction that later rolls back would tell clients
about data that does not exist; `transaction.on_commit` prevents that. Failures
of the channel layer are logged, never raised: the data is stored and clients
catch up by id.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def _send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # the layer is down: stored data is caught up on reconnect
        log.warning("broadcast to %s failed", group, exc_info=True)


def broadcast_on_commit(group: str, event: dict) -> None:
    """Send `event` to `group` once the current transaction commits."""
    transaction.on_commit(lambda: _send(group, event))
