"""Circle health, numbers only: is the circle keeping its promise that no ask is left
alone? Four queries whatever the circle's size."""

import statistics
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from moderation.models import SafetyCase

from ..models import ChatMessage, Circle, ContentStatus, Post, Thread

WEEKS = 8
HOUR = 3600.0


def _week_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def _weeks(now: datetime, count: int) -> list[datetime]:
    this = _week_start(now)
    return [this - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def _median_hours(seconds: list[float]) -> float | None:
    return round(statistics.median(seconds) / HOUR, 1) if seconds else None


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def circle_health(*, circle: Circle, now: datetime | None = None, weeks: int = WEEKS):
    now = now or timezone.now()
    starts = _weeks(now, weeks)
    since = starts[0]
    index = {start: n for n, start in enumerate(starts)}

    def bucket(moment):
        return index.get(_week_start(moment))

    asks = [[] for _ in starts]
    for created, first_reply in (
        Thread.objects.filter(
            circle=circle, kind=Thread.Kind.ASK, created_at__gte=since
        )
        .exclude(status=ContentStatus.REMOVED)
        .values_list("created_at", "first_reply_at")
    ):
        n = bucket(created)
        if n is not None:
            wait = (first_reply - created).total_seconds() if first_reply else None
            asks[n].append(wait)

    # Safety cases (one per person who may need someone), by the week they opened:
    # how long until someone held them, and how many of their items the author said
    # were misread (the crisis net's false alarms).
    safety = [[] for _ in starts]
    misread = [0 for _ in starts]
    for created, picked, resolved, misreads in (
        SafetyCase.objects.filter(circle=circle, opened_at__gte=since)
        .annotate(misreads=Count("items", filter=Q(items__misread_at__isnull=False)))
        .values_list("opened_at", "picked_up_at", "resolved_at", "misreads")
    ):
        n = bucket(created)
        if n is not None:
            done = picked or resolved
            safety[n].append((done - created).total_seconds() if done else None)
            misread[n] += misreads

    active = [set() for _ in starts]
    for model, scope in (
        (Post, {"thread__circle": circle}),
        (ChatMessage, {"circle": circle}),
    ):
        rows = (
            model.objects.filter(created_at__gte=since, **scope)
            .annotate(week=TruncWeek("created_at"))
            .values_list("week", "author_id")
            .distinct()
        )
        for week, author_id in rows:
            n = bucket(week)
            if n is not None:
                active[n].add(author_id)

    return {
        "weeks": [start.date() for start in starts],
        "handled": "picked up",
        "asks": [len(a) for a in asks],
        "within_12h": [
            _share(sum(1 for w in a if w is not None and w <= 12 * HOUR), len(a))
            for a in asks
        ],
        "within_24h": [
            _share(sum(1 for w in a if w is not None and w <= 24 * HOUR), len(a))
            for a in asks
        ],
        "median_first_reply_hours": [
            _median_hours([w for w in a if w is not None]) for a in asks
        ],
        "waiting_now": sum(1 for a in asks for w in a if w is None),
        "safety_items": [len(s) for s in safety],
        "safety_open": sum(1 for s in safety for d in s if d is None),
        "misread": misread,
        "median_handled_hours": [
            _median_hours([d for d in s if d is not None]) for s in safety
        ],
        "active_members": [len(a) for a in active],
    }
