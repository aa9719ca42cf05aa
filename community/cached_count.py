"""A per-person count that every page shows, kept in the shared cache.

The header shows two (unread notifications, conversations with an unread private
message); each is a `CachedCount` over the query that counts it in the database.
Every write that changes a person's count calls `forget`. A writer leaves a
short-lived "changing" mark rather than only deleting the count, both at once and
after its transaction commits: a page that counted from the database just before
the commit cannot then store the old count (`cache.add` stores only into an empty
key), and while the mark lasts pages count from the database. With the cache down
every page counts from the database. A count also expires after `KEEP_SECONDS`, a
bound on any change made outside the services (the admin)."""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

KEEP_SECONDS = 600
CHANGING = "changing"
CHANGING_SECONDS = 5


class CachedCount:
    def __init__(self, name: str, count: Callable[[int], int]):
        self.name = name
        self.count = count  # the database's answer for a person's id

    def key(self, user_id: int) -> str:
        return f"{self.name}:{user_id}"

    def get(self, user_id: int) -> int:
        """From the cache when it holds the count; a cache that fails counts as
        empty (the page still renders)."""
        key = self.key(user_id)
        try:
            held = cache.get(key)
        except Exception:  # the cache backend's own errors, whatever they are
            log.warning("cache unavailable: %s read from the database", self.name)
            return self.count(user_id)
        if isinstance(held, int):
            return held
        count = self.count(user_id)
        if held is None:
            try:
                cache.add(key, count, KEEP_SECONDS)
            except Exception:
                log.warning("cache unavailable: %s not kept", self.name)
        return count

    def forget(self, user_id: int) -> None:
        """The person's count is changing: pages count afresh until it settles."""
        key = self.key(user_id)

        def mark():
            try:
                cache.set(key, CHANGING, CHANGING_SECONDS)
            except Exception:  # a cache that is down holds no count to go stale
                log.warning("cache unavailable: %s not marked", self.name)

        mark()
        transaction.on_commit(mark)
