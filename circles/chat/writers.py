"""The threads chat writes run on."""

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from django.db import connections

# Chat writes run on threads of their own, each serving a share of the circles:
# writes of different circles go in parallel (each mostly waits on the database),
# writes of one circle keep their order in this process (so do their broadcasts),
# and the one thread every other sync call shares (pages too) is not held up.
WRITE_THREADS = 4
_WRITERS = [
    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"chat-write-{n}")
    for n in range(WRITE_THREADS)
]


def drop_broken_connections() -> None:
    """Close this thread's connections that failed and no longer answer, or were left
    outside autocommit: the next write opens a fresh one."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        if conn.get_autocommit() != conn.settings_dict["AUTOCOMMIT"]:
            conn.close()
        elif conn.errors_occurred:
            if conn.is_usable():
                conn.errors_occurred = False
            else:
                conn.close()


class KeepingConnection(SyncToAsync):
    """channels' `database_sync_to_async` closes the thread's connection around every
    call (with a pool: a check-out, a check query and a check-in per message). A
    writer thread serves nothing but chat writes, so it keeps its connection and
    drops it only when it broke."""

    def thread_handler(self, loop, *args, **kwargs):
        drop_broken_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            drop_broken_connections()


def on_writer(circle_id: int, func):
    return KeepingConnection(
        func, thread_sensitive=False, executor=_WRITERS[circle_id % WRITE_THREADS]
    )


def close_writer_connections() -> None:
    """Each writer thread closes its connections (tests, before the test database is
    dropped)."""
    for writer in _WRITERS:
        writer.submit(connections.close_all).result()
