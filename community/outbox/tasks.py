"""The outbox's tasks: send one email, and hand over what is due (quiet hours ended,
or a task the broker lost). Names keep the `jobs.` prefix the schedule uses."""

from celery import shared_task
from django.utils import timezone

from community.task_options import RETRY

from . import delivery


@shared_task(name="jobs.email_send", **RETRY)
def email_send(email_id: int) -> bool:
    return delivery.email_deliver(email_id=email_id)


@shared_task(name="jobs.email_flush", **RETRY)
def email_flush() -> int:
    """Hand over email whose time came (quiet hours ended) or whose task was lost."""
    due = delivery.emails_due(now=timezone.now())
    for email_id in due:
        email_send.delay(email_id)
    return len(due)
