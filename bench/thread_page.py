"""Thread pages through the full stack (daphne, PostgreSQL), against a bare Django
view returning the same rows from the same database through the same kind of
daphne, in the same run:

- a 500-post nested thread (its tree reaches depth 75 before the cap: written
  straight to the table the way old data holds it, so the renderer meets it), shown
  whole;
- a 5,000-post thread: the first screen (the opening post and the first 100 replies
  in tree order), and the part a link to its last post opens.

    python bench/thread_page.py [--requests 50]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

from bench.common import Daphne, bench_env, http_get, reset_database, summary_ms  # noqa: E402

# bench.load imports the project's models at its top: Django must be set up first,
# against the bench database (settings read DATABASE_URL when they load).
os.environ.update(bench_env())
os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
django.setup()

from bench.load import seed  # noqa: E402


def make_thread(posts: int, *, slug: str, chain_every: int = 7) -> tuple[int, int]:
    """A thread of `posts` posts whose parents are spread the way a lively thread's
    are (`(n * 7) % len(parents)` reaches depth 75 at 500 posts). Rows are written
    in bulk: this bench measures reading, and old data was written before the cap.
    Returns the thread's id and its last post's id."""
    # Imported here: Django is set up by seed(), which must run first.
    from datetime import timedelta

    from django.utils import timezone

    from circles.models import Circle, Membership, Post
    from circles.threads import services as thread_services
    from community import markup

    circle = Circle.objects.get(slug=slug)
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
    root = thread.posts.get()
    start = timezone.now()
    parents = [root]
    for n in range(posts - 1):
        parent = parents[(n * chain_every) % len(parents)]
        body = f"Reply {n}: *thank you* for sharing, [a link](https://example.org/{n})."
        post = Post.objects.create(
            thread=thread,
            parent=parent,
            author=people[n % len(people)],
            body=body,
            body_html=markup.render(body, kind="post"),
            depth=parent.depth + 1,
        )
        post.created_at = start + timedelta(milliseconds=n)
        parents.append(post)
    Post.objects.bulk_update(parents[1:], ["created_at"], batch_size=1000)
    thread.reply_count = posts - 1
    thread.save(update_fields=["reply_count"])
    deepest = max(p.depth for p in parents)
    print(f"thread {thread.pk}: {posts} posts, stored depth up to {deepest}")
    return thread.pk, parents[-1].pk


def measure(url: str, cookie: str, requests: int) -> list[float]:
    status, _body = http_get(url, cookie)  # warm
    assert status == 200, (url, status)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        status, _body = http_get(url, cookie)
        times.append(time.perf_counter() - start)
        assert status == 200, (url, status)
    return times


def line(name: str, s: dict, base: dict | None = None) -> str:
    ratio = f"   {s['p50'] / base['p50']:.2f}x bare p50" if base else ""
    return f"{name:<40} p50 {s['p50']:7.1f} ms   p95 {s['p95']:7.1f} ms{ratio}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--long", type=int, default=5000)
    args = parser.parse_args()
    env = bench_env()
    reset_database(env)
    members = seed(env, circles=1, per_circle=8)
    slug = members[1]["slug"]
    thread_id, _last = make_thread(500, slug=slug)
    long_id, long_last = make_thread(args.long, slug=slug)
    cookie = f"sessionid={members[1]['session']}"
    pages = {
        "bare view, 500 rows": ("bare", f"/rows/{thread_id}/"),
        "thread page, 500 posts (whole)": (
            "ours",
            f"/circles/{slug}/threads/{thread_id}/",
        ),
        f"bare view, {args.long} rows": ("bare", f"/rows/{long_id}/"),
        f"first screen, {args.long} posts": (
            "ours",
            f"/circles/{slug}/threads/{long_id}/",
        ),
        f"part holding the last of {args.long}": (
            "ours",
            f"/circles/{slug}/threads/{long_id}/?post={long_last}",
        ),
    }
    servers = {
        "ours": Daphne(env=env).start(),
        "bare": Daphne(
            env={**env, "DJANGO_SETTINGS_MODULE": "bench.baselines.bare_settings"}
        ).start(),
    }
    try:
        results = {name: [] for name in pages}
        for _ in range(5):  # interleaved rounds
            for name, (server, path) in pages.items():
                results[name] += measure(
                    f"{servers[server].url}{path}", cookie, args.requests // 5
                )
    finally:
        for server in servers.values():
            server.stop()
    s = {name: summary_ms(times) for name, times in results.items()}
    names = list(pages)
    print(f"{args.requests} requests each, interleaved, one client")
    print(line(names[0], s[names[0]]))
    print(line(names[1], s[names[1]], s[names[0]]))
    print(line(names[2], s[names[2]]))
    print(line(names[3], s[names[3]], s[names[2]]))
    print(line(names[4], s[names[4]], s[names[2]]))
    print(
        f"{names[3]} / bare view of the 500 rows: "
        f"{s[names[3]]['p50'] / s[names[0]]['p50']:.2f}x p50"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
