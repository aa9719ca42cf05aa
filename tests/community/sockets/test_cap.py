"""The per-person socket cap: numbered slots in the cache, freed on close, and
expiring when a process dies without freeing them."""

import pytest
import time_machine
from django.core.cache import cache

from community.ratelimit_config import Rate
from community.sockets import cap


def test_sockets_are_capped_per_person_and_closing_frees_a_place(cap_of):
    cap_of(3)
    slots = [cap.claim(user_id=7, connection=f"c{n}") for n in range(3)]
    for _ in range(4):  # refused sockets take no place
        with pytest.raises(cap.TooManySockets) as refused:
            cap.claim(user_id=7, connection="over")
    assert "You have 3 live connections to this site open already" in str(refused.value)
    cap.claim(user_id=8, connection="someone else")
    cap.release(slot=slots[1], connection="c1")
    cap.claim(user_id=7, connection="c3")
    with pytest.raises(cap.TooManySockets):
        cap.claim(user_id=7, connection="c4")


def test_releasing_twice_or_someone_elses_slot_frees_nothing_more(cap_of):
    cap_of(1)
    slot = cap.claim(user_id=9, connection="first")
    cap.release(slot=slot, connection="first")
    cap.release(slot=slot, connection="first")  # already free
    again = cap.claim(user_id=9, connection="second")
    cap.release(slot=again, connection="first")  # not that connection's slot
    with pytest.raises(cap.TooManySockets):
        cap.claim(user_id=9, connection="third")


def test_a_slot_left_by_a_dead_process_expires_unless_it_is_kept(cap_of, settings):
    # The slot's expiry is the cache's own timeout. Redis keeps time on the server,
    # where the test's clock cannot reach, so the clock runs on local memory here.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    cap_of(1)
    with time_machine.travel(1_800_000_000.0, tick=False) as clock:
        slot = cap.claim(user_id=5, connection="alive")
        clock.shift(cap.SLOT_SECONDS - 10)
        cap.keep(slot=slot, connection="alive")  # the heartbeat of a live socket
        clock.shift(cap.SLOT_SECONDS - 10)
        with pytest.raises(cap.TooManySockets):
            cap.claim(user_id=5, connection="new")
        # Its process dies: nothing keeps the slot any more.
        clock.shift(cap.SLOT_SECONDS + 1)
        assert cap.claim(user_id=5, connection="new") == slot


def test_the_heartbeat_retakes_a_slot_that_expired_while_free(cap_of):
    cap_of(1)
    slot = cap.claim(user_id=6, connection="paused")
    cache.delete(slot)  # expired during a long pause
    cap.keep(slot=slot, connection="paused")
    with pytest.raises(cap.TooManySockets):
        cap.claim(user_id=6, connection="other")


def test_with_the_cache_down_sockets_are_let_in_uncounted(cap_of, monkeypatch):
    cap_of(1)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", down)
    assert cap.claim(user_id=4, connection="a") is None
    assert cap.claim(user_id=4, connection="b") is None


def test_the_cap_reads_rate_limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "SOCKETS_PER_PERSON": Rate(4, None)}
    assert cap.sockets_per_person() == 4
