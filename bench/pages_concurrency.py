"""Circle and thread pages under concurrency, resources sidebar included, through a
real daphne on PostgreSQL and Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL):

    python bench/pages_concurrency.py [--clients 16] [--seconds 60]

Each client is a logged-in member loading, in turn, the circle page, an ordinary
thread, a thread of 50 posts of 20,000 characters of made-up words (the sidebar's
worst case: issue 14.2) and a 500-post thread. Counted: answers by status (the run
fails on any 5xx or error), and p50/p95/p99 per page.
"""

import argparse
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

from bench.common import Daphne, bench_env, reset_database, summary_ms  # noqa: E402

# bench.load imports the project's models at its top: Django must be set up first.
os.environ.update(bench_env())
os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
django.setup()

from bench.load import seed  # noqa: E402
from bench.thread_page import make_thread  # noqa: E402


def made_up_words(n: int, seed_value: int) -> str:
    rng = random.Random(seed_value)
    letters = "abcdefghijklmnoprstuvwy"
    words = []
    size = 0
    while size < n:
        word = "".join(rng.choice(letters) for _ in range(rng.randint(3, 11)))
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:n]


def make_heavy_thread(slug: str) -> int:
    # Imported here: Django is set up above, after the bench settings were chosen.
    from django.conf import settings

    from circles.models import Circle, Membership
    from circles.threads import services as thread_services
    from community.ratelimit_config import Rate

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "POST": Rate(10**9, 60)}
    circle = Circle.objects.get(slug=slug)
    people = [
        m.user for m in Membership.objects.filter(circle=circle).select_related("user")
    ]
    thread = thread_services.thread_create(
        author=people[0], circle=circle, title="Words upon words", body="It begins."
    ).thread
    for n in range(49):
        thread_services.post_reply(
            author=people[n % len(people)],
            thread=thread,
            body=made_up_words(20000, n),
        )
    return thread.pk


def make_small_thread(slug: str) -> int:
    from circles.models import Circle, Membership
    from circles.threads import services as thread_services

    circle = Circle.objects.get(slug=slug)
    people = [
        m.user for m in Membership.objects.filter(circle=circle).select_related("user")
    ]
    thread = thread_services.thread_create(
        author=people[0],
        circle=circle,
        title="Setting boundaries with my partner",
        body="How do I tell him where my limits are?",
    ).thread
    for n in range(10):
        thread_services.post_reply(
            author=people[(n + 1) % len(people)],
            thread=thread,
            body="I found it helped to say it calmly, and early.",
        )
    return thread.pk


def get(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # no answer at all: counted as an error


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="daphne processes, clients spread over them as a proxy would",
    )
    args, _rest = parser.parse_known_args()
    # The product's default. Under ASGI each request runs its sync code in a thread
    # of its own, so persistent connections (bench_env's 60 s) pile up: one daphne
    # held 93 connections after 20 s of 16 clients and PostgreSQL (100 at most)
    # began refusing them.
    env = bench_env(DB_CONN_MAX_AGE="0")
    reset_database(env)
    members = seed(env, circles=1, per_circle=max(8, args.clients))
    slug = members[0]["slug"]
    small = make_small_thread(slug)
    heavy = make_heavy_thread(slug)
    long_thread, _last = make_thread(500, slug=slug)
    pages = {
        "circle page": f"/circles/{slug}/",
        "thread, 11 posts": f"/circles/{slug}/threads/{small}/",
        "thread, 50 x 20,000 chars": f"/circles/{slug}/threads/{heavy}/",
        "thread, 500 posts": f"/circles/{slug}/threads/{long_thread}/",
    }
    servers = [Daphne(env=env).start() for _ in range(args.processes)]
    # Drain the servers' stderr (a pipe): unread, a burst of logged errors fills it
    # and daphne blocks, which reads as requests that never answer.
    log_path = Path(os.environ.get("BENCH_LOG", "/tmp/pages_concurrency_daphne.log"))
    log = log_path.open("wb")
    log_lock = threading.Lock()

    def drain(server) -> None:
        for chunk in iter(lambda: server.proc.stderr.read1(65536), b""):
            with log_lock:
                log.write(chunk)

    drainers = [
        threading.Thread(target=drain, args=(server,), daemon=True)
        for server in servers
    ]
    for drainer in drainers:
        drainer.start()
    statuses: Counter = Counter()
    times: dict[str, list[float]] = {name: [] for name in pages}
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def client(n: int) -> None:
        server = servers[n % len(servers)]
        cookie = f"sessionid={members[n % len(members)]['session']}"
        order = list(pages.items())
        random.Random(n).shuffle(order)
        i = 0
        while time.monotonic() < deadline:
            name, path = order[i % len(order)]
            i += 1
            start = time.perf_counter()
            status = get(f"{server.url}{path}", cookie)
            elapsed = time.perf_counter() - start
            with lock:
                statuses[status] += 1
                if status == 200:
                    times[name].append(elapsed)

    try:
        workers = [
            threading.Thread(target=client, args=(n,)) for n in range(args.clients)
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join(args.seconds + 60)
        cpu = [server.cpu_seconds() for server in servers]
    finally:
        for server in servers:
            server.stop()
        for drainer in drainers:
            drainer.join(5)
        log.close()
    total = sum(statuses.values())
    bad = sum(c for s, c in statuses.items() if s >= 500 or s == 0)
    print(
        f"{args.clients} clients, {args.seconds:.0f} s, {args.processes} daphne "
        f"process(es): {total} answers ({total / args.seconds:.1f} a second), "
        f"{dict(sorted(statuses.items()))}, 5xx or no answer: {bad}; server CPU "
        f"{' + '.join(f'{c:.1f}' for c in cpu)} s, "
        f"{1000 * sum(cpu) / max(total, 1):.1f} ms a page; target p95 300 ms"
    )
    every = [t for values in times.values() for t in values]
    for name, values in [*times.items(), ("all pages", every)]:
        s = summary_ms(values)
        print(
            f"{name:<28} n {len(values):5d}   p50 {s['p50']:7.1f} ms   "
            f"p95 {s['p95']:7.1f} ms   p99 {s['p99']:7.1f} ms"
        )
    if bad:
        errors = [
            line
            for line in log_path.read_text(errors="replace").splitlines()
            if "Error" in line or "error" in line
        ]
        print(f"server log: {log_path}; last errors:", *errors[-8:], sep="\n  ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
