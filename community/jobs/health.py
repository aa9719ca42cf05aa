"""Whether background work is happening: heartbeats written by the worker and the
scheduler, and the age of the oldest task waiting in the broker's queue. Read by
/healthz, the admin status page and the containers' healthchecks; no task is sent
to find out (INTERFACE.md, Third round: Operations)."""

import json
import logging
import socket
import time
from datetime import datetime
from pathlib import Path

import redis
from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from community.outbox.models import OutboundEmail
from community.task_options import PUBLISHED_AT_HEADER
from community.task_options import worker_heartbeat_name as celery_worker_name
from moderation.models import SafetyCase, SafetyItem

from .models import Heartbeat

logger = logging.getLogger(__name__)

OK, LATE, DOWN = "ok", "late", "down"


def worker_heartbeat_name(node: str | None = None) -> str:
    """This worker's row (default: the node name Celery gives on this host)."""
    return celery_worker_name(node or f"celery@{socket.gethostname()}")


SCHEDULER_HEARTBEAT_NAME = "scheduler"


def heartbeat_record(*, kind: str, name: str, now: datetime | None = None) -> None:
    """This process is alive: one row per process name, its time updated."""
    Heartbeat.objects.update_or_create(
        name=name, defaults={"kind": kind, "seen_at": now or timezone.now()}
    )


def last_seen(*, kind: str, name: str | None = None) -> datetime | None:
    """The newest heartbeat of `kind` (of the process `name` when given)."""
    rows = Heartbeat.objects.filter(kind=kind)
    if name:
        rows = rows.filter(name=name)
    return rows.aggregate(last=Max("seen_at"))["last"]


# --- The broker's queue ------------------------------------------------------------


def _queue_name() -> str:
    return settings.CELERY_TASK_DEFAULT_QUEUE


def _filesystem_messages() -> list[Path]:
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    suffix = f".{_queue_name()}.msg"
    try:
        return sorted(p for p in folder.iterdir() if p.name.endswith(suffix))
    except FileNotFoundError:
        return []


def _file_published_at(path: Path) -> float | None:
    """When a message file was published; None when a worker took it meanwhile."""
    try:
        return _published_at(path.read_bytes(), path.stat().st_mtime)
    except FileNotFoundError:
        return None


def _published_at(raw: bytes | str | None, fallback: float | None) -> float | None:
    if raw is None:
        return None
    try:
        value = json.loads(raw).get("headers", {}).get(PUBLISHED_AT_HEADER)
        return float(value) if value is not None else fallback
    except (ValueError, TypeError, AttributeError):
        return fallback


_redis_clients: dict = {}


def _redis():
    url = settings.CELERY_BROKER_URL
    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=1, socket_timeout=1
        )
    return client


def queue_state() -> tuple[int | None, float | None]:
    """(tasks waiting, seconds the oldest has waited); (None, None) when the
    broker cannot be read. Kombu pushes on the left and pops on the right, so the
    oldest message of a Redis list is its last element. The file transport names
    its files by the millisecond and then a random id, so two tasks sent within a
    millisecond sort either way: there every message's own stamp is read (that
    transport serves development and tests, where queues are short)."""
    url = settings.CELERY_BROKER_URL
    now = time.time()
    try:
        if url.startswith("filesystem://"):
            messages = _filesystem_messages()
            if not messages:
                return 0, None
            stamps = list(filter(None, map(_file_published_at, messages)))
            published = min(stamps, default=None)
        elif url.startswith(("redis://", "rediss://")):
            client = _redis()
            pipe = client.pipeline()
            pipe.llen(_queue_name())
            pipe.lindex(_queue_name(), -1)
            depth, raw = pipe.execute()
            if not depth:
                return 0, None
            published = _published_at(raw, None)
            return depth, (now - published) if published else None
        else:
            return None, None
    except Exception:
        return None, None
    return len(messages), (now - published) if published else None


# --- States ------------------------------------------------------------------------


def _age(seen: datetime | None, now: datetime) -> float | None:
    return None if seen is None else (now - seen).total_seconds()


def worker_state(
    *, now: datetime | None = None, oldest_wait: float | None = None
) -> str:
    """`down` when no worker wrote a heartbeat for HEALTH_WORKER_DOWN_SECONDS (or
    none ever did); `late` when the oldest waiting task has waited longer than
    HEALTH_QUEUE_LATE_SECONDS; else `ok`."""
    now = now or timezone.now()
    age = _age(last_seen(kind=Heartbeat.Kind.WORKER), now)
    if age is None or age > settings.HEALTH_WORKER_DOWN_SECONDS:
        return DOWN
    if oldest_wait is not None and oldest_wait > settings.HEALTH_QUEUE_LATE_SECONDS:
        return LATE
    return OK


def scheduler_state(*, now: datetime | None = None) -> str:
    """`down` over HEALTH_SCHEDULER_DOWN_SECONDS since its last run or never seen;
    `late` over HEALTH_SCHEDULER_LATE_SECONDS; else `ok`."""
    now = now or timezone.now()
    age = _age(last_seen(kind=Heartbeat.Kind.SCHEDULER), now)
    if age is None or age > settings.HEALTH_SCHEDULER_DOWN_SECONDS:
        return DOWN
    if age > settings.HEALTH_SCHEDULER_LATE_SECONDS:
        return LATE
    return OK


def background_states() -> dict[str, str]:
    """{"worker": ..., "scheduler": ...}: both `down` when the database (where the
    heartbeats are) cannot be read."""
    try:
        _depth, oldest = queue_state()
        return {
            "worker": worker_state(oldest_wait=oldest),
            "scheduler": scheduler_state(),
        }
    except Exception:
        return {"worker": DOWN, "scheduler": DOWN}


def own_heartbeat_fresh(kind: str, *, now: datetime | None = None) -> bool:
    """The container healthcheck: did this container's process beat recently?"""
    now = now or timezone.now()
    if kind == Heartbeat.Kind.WORKER:
        age = _age(last_seen(kind=kind, name=worker_heartbeat_name()), now)
        return age is not None and age <= settings.HEALTH_WORKER_DOWN_SECONDS
    age = _age(last_seen(kind=kind), now)
    return age is not None and age <= settings.HEALTH_SCHEDULER_DOWN_SECONDS


# --- The admin status page ------------------------------------------------------------


def operations_status(*, now: datetime | None = None) -> dict:
    """What the admin status page shows, in a constant number of queries: the
    worker and scheduler states, the scheduler's last run, the oldest email due and
    not yet sent, open and escalated safety cases, and the queue's depth."""
    now = now or timezone.now()
    depth, oldest_wait = queue_state()
    scheduler_seen = last_seen(kind=Heartbeat.Kind.SCHEDULER)
    worker_seen = last_seen(kind=Heartbeat.Kind.WORKER)
    oldest_email = OutboundEmail.objects.filter(
        sent_at__isnull=True, cancelled_at__isnull=True, send_after__lte=now
    ).aggregate(oldest=Min("send_after"))["oldest"]
    safety = SafetyCase.objects.filter(resolved_at__isnull=True).aggregate(
        open=Count("id"), escalated=Count("id", filter=Q(escalated_at__isnull=False))
    )
    # The crisis net's own false alarms: items its reading of words raised this
    # week, and how many of those their authors said were misread.
    net = SafetyItem.objects.filter(
        source=SafetyItem.Source.WORDS, created_at__gte=now - timezone.timedelta(days=7)
    ).aggregate(
        raised=Count("id"), misread=Count("id", filter=Q(misread_at__isnull=False))
    )
    return {
        "worker_age": _age(worker_seen, now),
        "scheduler_age": _age(scheduler_seen, now),
        "oldest_email_age": _age(oldest_email, now),
        "worker": worker_state(now=now, oldest_wait=oldest_wait),
        "worker_seen": worker_seen,
        "scheduler": scheduler_state(now=now),
        "scheduler_seen": scheduler_seen,
        "oldest_email_due": oldest_email,
        "queue_depth": depth,
        "oldest_task_wait": oldest_wait,
        "safety_open": safety["open"],
        "safety_escalated": safety["escalated"],
        "crisis_raised_week": net["raised"],
        "crisis_misread_week": net["misread"],
        "now": now,
    }
