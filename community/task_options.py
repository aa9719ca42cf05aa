"""What every task of the queue shares: retried on failure with backoff, below the
broker's visibility timeout, so a task is never run twice at once by a retry."""

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 240,  # below the visibility timeout (300 s)
    "retry_jitter": True,
    "max_retries": 8,
}
