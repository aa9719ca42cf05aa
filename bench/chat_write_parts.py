"""Where a chat write's CPU goes, in process on PostgreSQL: the process CPU of each
part of `chat_message_post` (wrappers around the parts, no profiler, whose overhead
would favour C code over Python), per message.

    python bench/chat_write_parts.py [--count 400]

Its database is `BENCH_PARTS_DATABASE_URL` (default below), recreated each run.

Parts that a branch does not have are left out (the rule and the bump before issue
28 are `refresh_for_write` and `_bump_seq`; after, `_lock_and_ask`). The group send
here runs through a fresh event loop per call (`async_to_sync` outside daphne), so
its figure is not daphne's: compare the database parts across runs of the same day.
"""

import argparse
import collections
import functools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_env, reset_database  # noqa: E402
from bench.load import seed  # noqa: E402

PARTS_DATABASE_URL = os.environ.get(
    "BENCH_PARTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/circles_bench_parts"
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=400)
    args = parser.parse_args()
    env = bench_env(BENCH_DATABASE_URL=PARTS_DATABASE_URL)
    reset_database(env)
    seed(env, circles=1, per_circle=3)  # sets up Django with env

    from django.db.models import query

    from circles.chat import services
    from community import realtime

    spent: collections.Counter = collections.Counter()

    def wrap(owner, name, label=None, method=False):
        func = getattr(owner, name, None)
        if func is None:
            return

        @functools.wraps(func)
        def timed(*a, **k):
            started = time.process_time()
            try:
                return func(*a, **k)
            finally:
                spent[label or name] += time.process_time() - started

        setattr(owner, name, timed)

    for name in (
        "_lock_and_ask",
        "_insert",
        "_bump_seq",
        "_recent",
        "mark_broadcast",
        "await_previous_broadcast",
    ):
        wrap(services, name)
    wrap(services.permissions, "refresh_for_write")
    wrap(services.content_events, "chat_message", "frame with its live html")
    wrap(services.screening, "screen")
    wrap(services.markup, "render")
    wrap(realtime, "_send", "group send (hop and Redis)")
    wrap(query.QuerySet, "create", "ORM create")

    from circles.models import Circle, Membership

    circle = Circle.objects.order_by("-id").first()
    author = Membership.objects.filter(circle=circle).select_related("user")[0].user
    tag = f"parts-{time.time_ns()}"

    def post(i, what):
        services.chat_message_post(
            author=author,
            circle=circle,
            body=f"{what} {i}",
            client_id=f"{tag}-{what}-{i}",
        )

    for i in range(20):
        post(i, "warm")
    spent.clear()
    started = time.process_time()
    for i in range(args.count):
        post(i, "message")
    total = (time.process_time() - started) * 1000 / args.count
    parts = "; ".join(
        f"{name} {1000 * value / args.count:.3f}" for name, value in spent.most_common()
    )
    print(f"{Path.cwd().name}: total {total:.3f} ms CPU a message; {parts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
