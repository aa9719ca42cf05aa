"""The circle page through the full stack (daphne, PostgreSQL, Redis), against a bare
Django view returning the same rows from the same database through the same kind of
daphne (`bench/baselines/bare_urls.py: circle_rows`), in the same run, in
interleaved rounds.

The circle holds 12 members, 300 chat messages (the page shows the latest 50) and
60 threads, a quarter of them asks still waiting (it lists 10 of each); the
bundled resource library is imported, so the sidebar ranks real sections. A
member's page is asked with the shared cache warm, and cold (emptied before each
request). Also printed: the page's queries, asked in process through Django's test
client against the same database.

With `--before DIR` (a checkout of the code before a change, sharing this
database's schema), the same page is also served from DIR in the same rounds, and
ours is given over it round by round.

    python bench/circle_page.py [--rounds 7] [--requests 10] [--before DIR]
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

from bench.common import bench_env, manage, reset_database  # noqa: E402

os.environ.update(bench_env())
os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
django.setup()

from bench.load import seed  # noqa: E402
from bench.thread_page import (  # noqa: E402
    flush_cache,
    interleaved_rounds,
    page_servers,
    spread,
    timed,
)

MESSAGES, THREADS = 300, 60


def fill_circle(slug: str, *, messages: int = MESSAGES, threads: int = THREADS):
    """Chat messages and threads written straight to the tables (this bench
    measures reading): every member speaks, every fourth thread an ask still
    waiting, the others with a reply."""
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from circles.models import ChatMessage, Circle, Membership, Post, Thread
    from community import markup

    circle = Circle.objects.get(slug=slug)
    people = [
        m.user for m in Membership.objects.filter(circle=circle).select_related("user")
    ]
    start = timezone.now() - timedelta(hours=1)
    rows = []
    for n in range(messages):
        body = (
            f"Message {n}: *thank you*, that helps. [a link](https://example.org/{n})"
        )
        rows.append(
            ChatMessage(
                circle=circle,
                author=people[n % len(people)],
                seq=n + 1,
                body=body,
                body_html=markup.render(body, kind="chat"),
            )
        )
    ChatMessage.objects.bulk_create(rows)
    Circle.objects.filter(pk=circle.pk).update(chat_seq=F("chat_seq") + messages)
    for n in range(threads):
        ask = n % 4 == 0
        thread = Thread.objects.create(
            circle=circle,
            author=people[n % len(people)],
            title=f"Feeling alone after moving, week {n}",
            kind=Thread.Kind.ASK if ask else Thread.Kind.DISCUSSION,
            needs=["listening"] if ask else [],
            last_activity_at=start + timedelta(seconds=n),
        )
        body = "I moved to a new city and I miss my friends. How did you cope?"
        root = Post.objects.create(
            thread=thread,
            author=thread.author,
            body=body,
            body_html=markup.render(body, kind="post"),
        )
        if not ask:
            reply = "Small steps: one walk a day, one message to someone."
            Post.objects.create(
                thread=thread,
                parent=root,
                author=people[(n + 1) % len(people)],
                body=reply,
                body_html=markup.render(reply, kind="post"),
                depth=1,
            )
            Thread.objects.filter(pk=thread.pk).update(
                reply_count=1, first_reply_at=start + timedelta(seconds=n)
            )
    print(
        f"circle {slug}: {len(people)} members, {messages} messages, {threads} threads"
    )


def fresh_circle(env: dict, *, per_circle: int = 12) -> tuple[list[dict], str]:
    """A fresh bench database with the resource library imported and one circle
    filled (`fill_circle`): its members (as `seed` gives them) and its slug."""
    reset_database(env)
    manage("import_resources", env=env)
    members = seed(env, circles=1, per_circle=per_circle)
    slug = members[1]["slug"]
    fill_circle(slug)
    return members, slug


def page_queries(path: str, session: str) -> int:
    """Queries of one request for the page, in process (after one to warm)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=10, help="a page, a round")
    parser.add_argument("--before", type=Path, help="a checkout of the code before")
    args, _unknown = parser.parse_known_args()  # run_all.py passes its own on
    env = bench_env()
    members, slug = fresh_circle(env)
    cookie = f"sessionid={members[1]['session']}"
    ours = f"/circles/{slug}/"
    pages = {
        "bare view of the rows": ("bare", f"/circle-rows/{slug}/", False),
        "circle page, warm cache": ("ours", ours, False),
        "circle page, cold cache": ("ours", ours, True),
    }
    servers = page_servers(env, args.before)
    if args.before:
        pages["before: circle page, warm cache"] = ("before", ours, False)
        pages["before: circle page, cold cache"] = ("before", ours, True)
    queries = page_queries(ours, members[1]["session"])
    for server in servers.values():
        server.start()
    try:
        for server, path, _cold in pages.values():  # warm every process
            timed(f"{servers[server].url}{path}", cookie)
        rounds = interleaved_rounds(
            servers, pages, cookie, env, rounds=args.rounds, requests=args.requests
        )
    finally:
        for server in servers.values():
            server.stop()
        flush_cache(env)
    report(args, pages, rounds, queries)
    return 0


def report(args, pages, rounds, queries) -> None:
    bare = rounds["bare view of the rows"]
    print(
        f"{args.rounds} interleaved rounds of {args.requests} requests a page, "
        "one client; per page the median of the round medians (min to max)"
    )
    for name in pages:
        line = f"{name:<36} {spread(rounds[name], unit=' ms')}"
        if name != "bare view of the rows":
            ratios = [a / b for a, b in zip(rounds[name], bare, strict=True)]
            line += f"   {spread(ratios, 2, 'x')} bare"
        print(line)
    for cache in ("warm", "cold"):  # ours over the code before, round by round
        before = rounds.get(f"before: circle page, {cache} cache")
        if before:
            ours = rounds[f"circle page, {cache} cache"]
            paired = [a / b for a, b in zip(ours, before, strict=True)]
            print(f"circle page, {cache} cache, x before     {spread(paired, 2, 'x')}")
    print(f"circle page queries for a member (this code, in process): {queries}")


if __name__ == "__main__":
    sys.exit(main())
