"""Watched words: the rules screening applies, and the lists moderators manage.

Screening runs on every chat message, so each process keeps the rules it read, per
circle, tagged with the lists' version: a token in the shared cache that every
change replaces after it commits (`watched_words_changed`, called from the model's
signals, so the admin's edits count too). The process that made the change reads the
lists again at once; every other process looks at the version at most once a second
(`VERSION_CHECK_SECONDS`), so a message costs neither a query nor a cache read, and
a change reaches every process within a second."""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from moderation.models import WatchedWord

log = logging.getLogger(__name__)

VERSION_KEY = "screening:watched-words-version"
VERSION_CHECK_SECONDS = 1.0
_version_seen: list = [None, float("-inf")]  # this process: version, when it looked
# Read again after this long whatever the version says: a change made while the
# cache could not be told still arrives.
MAX_AGE_SECONDS = 60
_read: dict = {}  # this process: circle id -> (version, rules, read at)


def _rules_from_database(circle) -> list[tuple[str, str]]:
    return list(
        WatchedWord.objects.filter(Q(circle=None) | Q(circle=circle)).values_list(
            "phrase", "action"
        )
    )


def _version(now: float) -> str:
    if now - _version_seen[1] < VERSION_CHECK_SECONDS:
        return _version_seen[0]
    version = cache.get(VERSION_KEY)
    if version is None:  # first use, or the cache was emptied: a new era
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    _version_seen[:] = [version, now]
    return version


def watched_word_rules(*, circle) -> list[tuple[str, str]]:
    """(phrase, action) for the circle's own watched words and the site-wide ones."""
    now = time.monotonic()
    try:
        version = _version(now)
    except Exception:  # the cache is down: read the lists, keep nothing
        log.warning("watched words read without the cache", exc_info=True)
        return _rules_from_database(circle)
    found = _read.get(circle.pk)
    if found is not None and found[0] == version and now - found[2] < MAX_AGE_SECONDS:
        return found[1]
    rules = _rules_from_database(circle)
    _read[circle.pk] = (version, rules, now)
    return rules


def watched_words_changed() -> None:
    """This process reads the lists again at once (it may be inside the change's own
    transaction), every process once the transaction commits."""
    _read.clear()

    def bump():
        try:
            cache.set(VERSION_KEY, uuid.uuid4().hex, None)
        except Exception:
            log.error("watched words changed but the cache is down", exc_info=True)
        forget_watched_words()

    transaction.on_commit(bump)


def forget_watched_words() -> None:
    """This process's copy is dropped: the next message reads the lists."""
    _read.clear()
    _version_seen[:] = [None, float("-inf")]


def watched_words(*, circle) -> dict:
    """The circle's own watched words and the site-wide ones, for the queue page."""
    return {
        "words": WatchedWord.objects.filter(circle=circle),
        "site_words": WatchedWord.objects.filter(circle=None),
    }
