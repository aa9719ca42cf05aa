"""What every task of the queue shares: retried on failure with backoff, below the
broker's visibility timeout, so a task is never run twice at once by a retry."""

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 240,  # below the visibility timeout (300 s)
    "retry_jitter": True,
    "max_retries": 8,
}

# Every task message carries the time it was published in this header (set in
# community/celery.py), so the age of a waiting task can be read without running
# it (community/jobs/health.py).
PUBLISHED_AT_HEADER = "published_at"


def worker_heartbeat_name(node: str) -> str:
    """The heartbeat row of the worker whose Celery node name is `node`."""
    return f"worker:{node}"


# The periodic tasks (settings.CELERY_BEAT_SCHEDULE); a backlog never piles up
# copies of a periodic task, since each copy expires before the next is due.
_minute = {"expires": 55}
BEAT_SCHEDULE = {
    "asks-nudge": {"task": "jobs.asks_nudge", "schedule": 60.0, "options": _minute},
    "safety-escalate": {
        "task": "jobs.safety_escalate_overdue",
        "schedule": 60.0,
        "options": _minute,
    },
    "email-flush": {"task": "jobs.email_flush", "schedule": 60.0, "options": _minute},
    "presence-clean": {
        "task": "jobs.presence_clean",
        "schedule": 120.0,
        "options": _minute,
    },
    "notification-digests": {
        "task": "jobs.notification_digests",
        "schedule": 600.0,
        "options": {"expires": 590},
    },
    "erasure-sweep": {
        "task": "jobs.erasure_sweep",
        "schedule": 900.0,
        "options": {"expires": 890},
    },
}
