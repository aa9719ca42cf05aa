"""Broadcasts of one circle go out in `seq` order across processes."""

import threading
import time

from circles.chat import broadcast_order


def test_a_broadcast_waits_until_the_previous_seq_has_gone_out(circle):
    """Forced: seq 3 is ready while seq 2 (another process, say) is not yet out;
    its broadcast waits for 2's mark, not for luck."""
    broadcast_order.mark_broadcast(circle.pk, 1)
    order = []
    ready = threading.Event()

    def third():
        ready.set()
        broadcast_order.await_previous_broadcast(circle.pk, 3)
        order.append("3 out")

    thread = threading.Thread(target=third)
    thread.start()
    ready.wait(1)
    time.sleep(0.05)  # 3 is waiting now; nothing has let it through
    assert order == []
    order.append("2 out")
    broadcast_order.mark_broadcast(circle.pk, 2)
    thread.join(1)
    assert order == ["2 out", "3 out"]


def test_the_wait_is_bounded_when_the_previous_never_goes_out(circle):
    broadcast_order.mark_broadcast(circle.pk, 1)
    started = time.monotonic()
    broadcast_order.await_previous_broadcast(circle.pk, 5)
    waited = time.monotonic() - started
    assert broadcast_order.BROADCAST_ORDER_WAIT_SECONDS <= waited < 1.0


def test_a_broadcast_after_this_process_own_previous_one_asks_no_cache(
    circle, monkeypatch
):
    broadcast_order.mark_broadcast(circle.pk, 7)
    reads = []
    monkeypatch.setattr(broadcast_order.cache, "get", lambda *a, **k: reads.append(a))
    broadcast_order.await_previous_broadcast(circle.pk, 8)
    assert reads == []
