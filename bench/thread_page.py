"""A 500-post nested thread page through the full stack (daphne, PostgreSQL),
against a bare Django view returning the same rows from the same database through
the same kind of daphne, in the same run.

    python bench/thread_page.py [--requests 50]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Daphne, bench_env, http_get, reset_database, summary_ms  # noqa: E402
from bench.load import seed  # noqa: E402
from circles.threads import services as thread_services


def make_thread(posts: int) -> int:
    from circles.models import Circle, Membership

    circle = Circle.objects.get()
    people = [
        m.user for m in Membership.objects.filter(circle=circle).select_related("user")
    ]
    thread = thread_services.thread_create(
        author=people[0],
        circle=circle,
        title="A long conversation",
        body="Where it began.",
    ).thread
    from django.conf import settings

    from community.ratelimit_config import Rate

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "POST": Rate(10**9, 60)}
    parents = [None]
    for n in range(posts - 1):
        parent = parents[(n * 7) % len(parents)]
        post = thread_services.post_reply(
            author=people[n % len(people)],
            thread=thread,
            body=f"Reply {n}: *thank you* for sharing, [a link](https://example.org/{n}).",
            parent_id=parent,
        ).post
        parents.append(post.pk)
    return thread.pk


def measure(url: str, cookie: str, requests: int) -> list[float]:
    http_get(url, cookie)  # warm
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        status, _body = http_get(url, cookie)
        times.append(time.perf_counter() - start)
        assert status == 200
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    env = bench_env()
    reset_database(env)
    members = seed(env, circles=1, per_circle=8)
    thread_id = make_thread(500)
    cookie = f"sessionid={members[1]['session']}"
    page = f"/circles/{members[1]['slug']}/threads/{thread_id}/"
    ours = Daphne(env=env).start()
    bare = Daphne(
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.baselines.bare_settings"}
    ).start()
    try:
        results = {"bare view": [], "thread page": []}
        for _ in range(5):  # interleaved rounds
            results["bare view"] += measure(
                f"{bare.url}/rows/{thread_id}/", cookie, args.requests // 5
            )
            results["thread page"] += measure(
                f"{ours.url}{page}", cookie, args.requests // 5
            )
    finally:
        ours.stop()
        bare.stop()
    base = summary_ms(results["bare view"])
    page_ms = summary_ms(results["thread page"])
    print(f"500-post thread, {len(results['thread page'])} requests each, interleaved")
    for name, s in (("bare view (same rows)", base), ("thread page", page_ms)):
        print(f"{name:<24} p50 {s['p50']:7.1f} ms   p95 {s['p95']:7.1f} ms")
    print(
        f"ratio (thread page / bare view): p50 {page_ms['p50'] / base['p50']:.2f}x, "
        f"p95 {page_ms['p95'] / base['p95']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
