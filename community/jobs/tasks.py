"""Celery tasks. Each is idempotent (safe to run twice, by a retry, a redelivery
after a worker died, or a second scheduler), retried with backoff on failure, and
thin: the work is in services."""

from celery import shared_task
from django.utils import timezone

from circles.mentions.services import mentions_forget as forget
from circles.threads.services import asks_nudge_overdue
from community.accounts import registry
from community.accounts.password_reset import password_reset_task  # noqa: F401 (registers)
from community.notifications import digest
from community.task_options import RETRY
from moderation.safety import services as safety_services

from . import services


@shared_task(name="jobs.asks_nudge", **RETRY)
def asks_nudge() -> int:
    return asks_nudge_overdue(now=timezone.now())


@shared_task(name="jobs.safety_escalate_overdue", **RETRY)
def safety_escalate_overdue() -> int:
    return safety_services.safety_escalate_overdue(now=timezone.now())


@shared_task(name="jobs.presence_clean", **RETRY)
def presence_clean() -> int:
    return services.presence_clean_stale(now=timezone.now())


@shared_task(name="jobs.notification_digests", **RETRY)
def notification_digests() -> int:
    return digest.digests_send(now=timezone.now())


@shared_task(name="jobs.erasure_sweep", **RETRY)
def erasure_sweep() -> int:
    return registry.sweep_everywhere(now=timezone.now())


@shared_task(name="jobs.mentions_forget", **RETRY)
def mentions_forget(*, name: str, former: str) -> int:
    """Mentions of a deleted account read `former` (idempotent: a rewritten post no
    longer holds the name)."""
    return forget(name=name, former=former)
