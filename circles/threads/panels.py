"""The threads panel of the circle page: recent threads and asks still waiting."""

from django.conf import settings
from django.utils import timezone

from . import selectors

THREADS_ON_CIRCLE_PAGE = 10


def _overdue_after():
    return timezone.now() - timezone.timedelta(hours=settings.ASK_NUDGE_AFTER_HOURS)


def threads_panel(request, circle) -> dict:
    threads = selectors.thread_list_for(circle=circle, user=request.user)
    return {
        "threads": list(threads[: THREADS_ON_CIRCLE_PAGE + 1]),
        "threads_more": THREADS_ON_CIRCLE_PAGE,
        "waiting_asks": list(selectors.waiting_asks(circle=circle)[:10]),
        "ask_overdue_before": _overdue_after(),
    }
