"""The header's unread-notification count, kept per person in the shared cache.

Every page shows it, so it is read from the cache; every write that changes it
(`notification_send`, each way of reading, erasure) calls `unread_forget`. A writer
leaves a short-lived "changing" mark rather than only deleting the count, both at
once and after its transaction commits: a page that counted from the database
just before the commit cannot then store the old count (`cache.add` stores only
into an empty key), and while the mark lasts pages count from the database. With
the cache down every page counts from the database, as before. The count also
expires after `KEEP_SECONDS`, a bound on any change made outside the services (the
admin)."""

import logging

from django.core.cache import cache
from django.db import transaction

from .models import Notification

log = logging.getLogger(__name__)

KEEP_SECONDS = 600
CHANGING = "changing"
CHANGING_SECONDS = 5


def _key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(*, user) -> int:
    """The person's unread notifications, counted in the database."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_count_cached(*, user) -> int:
    """The same count, from the cache when it holds it; a cache that fails counts
    as empty (the page still renders)."""
    key = _key(user.pk)
    try:
        held = cache.get(key)
    except Exception:  # the cache backend's own errors, whatever they are
        log.warning("cache unavailable: unread count read from the database")
        return unread_count(user=user)
    if isinstance(held, int):
        return held
    count = unread_count(user=user)
    if held is None:
        try:
            cache.add(key, count, KEEP_SECONDS)
        except Exception:
            log.warning("cache unavailable: unread count not kept")
    return count


def unread_forget(user_id: int) -> None:
    """The person's count is changing: pages count afresh until it has settled."""

    def mark():
        try:
            cache.set(_key(user_id), CHANGING, CHANGING_SECONDS)
        except Exception:  # a cache that is down holds no count to go stale
            log.warning("cache unavailable: unread count not marked")

    mark()
    transaction.on_commit(mark)
