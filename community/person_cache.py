"""What many pages read of a person, kept per person in the shared cache.

The header shows two counts (unread notifications, conversations with an unread
private message) and the pages that show people's words fold those the reader
ignores; each is a `PersonCache` over the query that reads it in the database.
Every write that changes a person's value calls `forget`. A writer leaves a
short-lived "changing" mark rather than only deleting the value, both at once and
after its transaction commits: a page that read the database just before the
commit cannot then store the old value (`cache.add` stores only into an empty
key), and while the mark lasts pages read the database. With the cache down every
page reads the database. A value also expires after `KEEP_SECONDS`, a bound on any
change made outside the services (the admin)."""

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

KEEP_SECONDS = 600
CHANGING = "changing"
CHANGING_SECONDS = 5


class PersonCache:
    def __init__(self, name: str, read: Callable[[int], Any]):
        self.name = name
        self.read = read  # the database's answer for a person's id (never a str)

    def key(self, user_id: int) -> str:
        return f"{self.name}:{user_id}"

    def get(self, user_id: int):
        """From the cache when it holds the value; a cache that fails counts as
        empty (the page still renders)."""
        key = self.key(user_id)
        try:
            held = cache.get(key)
        except Exception:  # the cache backend's own errors, whatever they are
            log.warning("cache unavailable: %s read from the database", self.name)
            return self.read(user_id)
        if held is not None and held != CHANGING:
            return held
        value = self.read(user_id)
        if held is None:
            try:
                cache.add(key, value, KEEP_SECONDS)
            except Exception:
                log.warning("cache unavailable: %s not kept", self.name)
        return value

    def forget(self, user_id: int) -> None:
        """The person's value is changing: pages read it afresh until it settles."""
        key = self.key(user_id)

        def mark():
            try:
                cache.set(key, CHANGING, CHANGING_SECONDS)
            except Exception:  # a cache that is down holds no count to go stale
                log.warning("cache unavailable: %s not marked", self.name)

        mark()
        transaction.on_commit(mark)
