"""Watched words are read once per process and read again after any change, in
this process at once and in every other once the change commits."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation.models import WatchedWord
from moderation.screening import selectors
from moderation.screening.policy import screen
from moderation.screening.services import watched_word_add, watched_word_remove

pytestmark = pytest.mark.django_db


def test_a_second_message_reads_no_watched_words(circle):
    WatchedWord.objects.create(circle=circle, phrase="pills", action="hold")
    assert screen(circle=circle, text="my pills").hold
    with CaptureQueriesContext(connection) as captured:
        assert screen(circle=circle, text="my pills again").hold
    assert not [q for q in captured.captured_queries if "watchedword" in q["sql"]]


def test_a_word_a_moderator_adds_applies_to_the_next_message(
    circle, moderator, django_capture_on_commit_callbacks
):
    assert not screen(circle=circle, text="some slurs").blocked
    with django_capture_on_commit_callbacks(execute=True):
        word = watched_word_add(
            actor=moderator, circle=circle, phrase="slur", action="block"
        )
    assert screen(circle=circle, text="some slurs").blocked
    with django_capture_on_commit_callbacks(execute=True):
        watched_word_remove(actor=moderator, circle=circle, word_id=word.pk)
    assert not screen(circle=circle, text="some slurs").blocked


def test_a_site_wide_word_from_the_admin_applies_everywhere(circle, other_circle):
    assert not screen(circle=other_circle, text="a slur").blocked
    WatchedWord.objects.create(circle=None, phrase="slur", action="block")  # admin
    assert screen(circle=circle, text="a slur").blocked
    assert screen(circle=other_circle, text="a slur").blocked


def test_a_change_made_in_another_process_arrives_within_a_second(circle, monkeypatch):
    """Another process changed the table (no signal here) and, after its commit,
    replaced the version: this process looks at the version once a second, then
    reads the lists again."""
    clock = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: clock[0])
    assert not screen(circle=circle, text="some slurs").blocked
    WatchedWord.objects.bulk_create(
        [WatchedWord(circle=circle, phrase="slur", action="block")]
    )  # bulk_create sends no signal: as if elsewhere
    cache.set(selectors.VERSION_KEY, "another process's change", None)
    clock[0] += 0.5
    assert not screen(circle=circle, text="some slurs").blocked  # still the copy
    clock[0] += selectors.VERSION_CHECK_SECONDS
    assert screen(circle=circle, text="some slurs").blocked


def test_a_message_costs_no_cache_read_within_the_second(circle, monkeypatch):
    screen(circle=circle, text="warm")
    reads = []
    monkeypatch.setattr(selectors.cache, "get", lambda *a, **k: reads.append(a))
    for _ in range(20):
        screen(circle=circle, text="hello")
    assert reads == []


def test_the_copy_is_read_again_after_a_minute_whatever_the_version(
    circle, monkeypatch
):
    """A change made while the cache could not be told still arrives."""
    assert not screen(circle=circle, text="some slurs").blocked
    WatchedWord.objects.bulk_create(
        [WatchedWord(circle=circle, phrase="slur", action="block")]
    )
    now = selectors.time.monotonic()
    monkeypatch.setattr(
        selectors.time, "monotonic", lambda: now + selectors.MAX_AGE_SECONDS + 1
    )
    assert screen(circle=circle, text="some slurs").blocked


def test_with_the_cache_down_screening_reads_the_table(circle, monkeypatch):
    WatchedWord.objects.create(circle=circle, phrase="slur", action="block")
    selectors.forget_watched_words()

    def down(*_args, **_kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(selectors.cache, "get", down)
    assert screen(circle=circle, text="some slurs").blocked
