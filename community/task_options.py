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
