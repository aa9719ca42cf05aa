"""The chat write, called directly: what it costs in queries and what it keeps."""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles.chat import services
from circles.models import ChatMessage
from community.ratelimit_config import Rate

pytestmark = pytest.mark.django_db(transaction=True)

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def statements(captured) -> list[str]:
    """The queries, without transaction control (SQLite logs BEGIN, PostgreSQL
    does not)."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].upper().startswith(TRANSACTION_CONTROL)
    ]


def test_a_chat_write_costs_four_queries(circle, member):
    """The rule, the seq bump with slow mode, the pace with the resend check, the
    insert: nothing else, whoever sends (watched words come from the process's
    copy, see tests/moderation/screening/test_watched_word_cache.py)."""
    services.chat_message_post(
        author=member, circle=circle, body="warm up", client_id="w"
    )
    with CaptureQueriesContext(connection) as captured:
        posted = services.chat_message_post(
            author=member, circle=circle, body="hello **there**", client_id="q-1"
        )
    assert len(statements(captured)) <= 4, statements(captured)
    assert posted.created and posted.message.seq == 2


def test_a_resend_costs_no_more_and_stores_nothing(circle, member):
    first = services.chat_message_post(
        author=member, circle=circle, body="once", client_id="r-1"
    )
    with CaptureQueriesContext(connection) as captured:
        again = services.chat_message_post(
            author=member, circle=circle, body="once", client_id="r-1"
        )
    assert len(statements(captured)) <= 5, statements(captured)
    assert not again.created and again.message.pk == first.message.pk
    assert ChatMessage.objects.count() == 1
    circle.refresh_from_db()
    assert circle.chat_seq == 1  # the bump of the resend was rolled back


def test_a_refused_write_rolls_back_its_seq(circle, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "CHAT": Rate(1, 10.0)}
    services.chat_message_post(author=member, circle=circle, body="one", client_id="a")
    with pytest.raises(services.ChatRefused):
        services.chat_message_post(
            author=member, circle=circle, body="two", client_id="b"
        )
    circle.refresh_from_db()
    assert circle.chat_seq == 1


def test_a_broadcast_waits_until_the_previous_seq_has_gone_out(circle):
    """Forced: seq 3 is ready while seq 2 (another process, say) is not yet out;
    its broadcast waits for 2's mark, not for luck."""
    services.mark_broadcast(circle.pk, 1)
    order = []
    ready = threading.Event()

    def third():
        ready.set()
        services.await_previous_broadcast(circle.pk, 3)
        order.append("3 out")

    thread = threading.Thread(target=third)
    thread.start()
    ready.wait(1)
    time.sleep(0.05)  # 3 is waiting now; nothing has let it through
    assert order == []
    order.append("2 out")
    services.mark_broadcast(circle.pk, 2)
    thread.join(1)
    assert order == ["2 out", "3 out"]


def test_the_wait_is_bounded_when_the_previous_never_goes_out(circle):
    services.mark_broadcast(circle.pk, 1)
    started = time.monotonic()
    services.await_previous_broadcast(circle.pk, 5)
    waited = time.monotonic() - started
    assert services.BROADCAST_ORDER_WAIT_SECONDS <= waited < 1.0


def test_a_broadcast_after_this_process_own_previous_one_asks_no_cache(
    circle, monkeypatch
):
    services.mark_broadcast(circle.pk, 7)
    reads = []
    monkeypatch.setattr(services.cache, "get", lambda *a, **k: reads.append(a))
    services.await_previous_broadcast(circle.pk, 8)
    assert reads == []
