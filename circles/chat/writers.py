"""The threads chat writes run on."""

from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async

# Chat writes run on threads of their own, each serving a share of the circles:
# writes of different circles go in parallel (each mostly waits on the database),
# writes of one circle keep their order in this process (so do their broadcasts),
# and the one thread every other sync call shares (pages too) is not held up.
WRITE_THREADS = 4
_WRITERS = [
    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"chat-write-{n}")
    for n in range(WRITE_THREADS)
]


def on_writer(circle_id: int, func):
    return database_sync_to_async(
        func, thread_sensitive=False, executor=_WRITERS[circle_id % WRITE_THREADS]
    )
