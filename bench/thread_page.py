"""Thread pages through the full stack (daphne, PostgreSQL, Redis), against a bare
Django view returning the same rows from the same database through the same kind of
daphne, in the same run, in interleaved rounds:

- a 500-post nested thread (its tree reaches depth 75 before the cap: written
  straight to the table the way old data holds it, so the renderer meets it), shown
  whole, with the cache warm and cold (the shared cache emptied before each
  request);
- its HTML: bytes raw and gzip-compressed (computed here, and as the server sent
  it to a client asking for gzip);
- a 200-reply page: its DOM elements (start tags, counted with html.parser) and
  forms;
- a 5,000-post thread: the first screen and the part a link to its last post opens;
- in process: rendering the 500 posts, against reading the same HTML back from the
  cache (whether caching posts' HTML would pay).

With `--before DIR` (a checkout of the code before a change, sharing this
database's schema), the same pages are also served from DIR in the same rounds.

    python bench/thread_page.py [--rounds 5] [--requests 10] [--before DIR]
"""

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

from bench.common import (  # noqa: E402
    Daphne,
    before_server,
    bench_env,
    http_get,
    reset_database,
)

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

    from django.conf import settings
    from django.utils import timezone

    from circles.models import Circle, Membership, Post
    from circles.threads import services as thread_services
    from community import markup
    from community.ratelimit_config import Rate

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


class Tags(HTMLParser):
    """Start tags (void and self-closing ones included): the elements a browser
    builds from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.count = 0
        self.forms = 0

    def handle_starttag(self, tag, attrs):
        self.count += 1
        self.forms += tag == "form"


def tags(html: bytes) -> Tags:
    parsed = Tags()
    parsed.feed(html.decode())
    return parsed


def body_tags(thread_id: int) -> int:
    """Elements inside the posts' own words (paragraphs, emphasis, links people
    wrote): what no page design changes."""
    from circles.models import Post

    return sum(
        tags(html.encode()).count
        for html in Post.objects.filter(thread_id=thread_id).values_list(
            "body_html", flat=True
        )
    )


def flush_cache(env: dict) -> None:
    subprocess.run(
        ["redis-cli", "-u", env["REDIS_URL"], "flushdb"],
        check=True,
        capture_output=True,
    )


def timed(url: str, cookie: str, *, cold_env: dict | None = None) -> float:
    if cold_env is not None:
        flush_cache(cold_env)
    start = time.perf_counter()
    status, _body = http_get(url, cookie)
    elapsed = time.perf_counter() - start
    assert status == 200, (url, status)
    return elapsed


def median_ms(values) -> float:
    return statistics.median(values) * 1000


def page_servers(env: dict, before: Path | None) -> dict:
    """Daphne for this code ("ours"), for the bare view of the rows ("bare") and,
    given a checkout of the code before, for that one ("before"), not started."""
    servers = {
        "ours": Daphne(env=env),
        "bare": Daphne(
            env={**env, "DJANGO_SETTINGS_MODULE": "bench.baselines.bare_settings"}
        ),
    }
    if before:
        servers["before"] = before_server(env, before)
    return servers


def interleaved_rounds(
    servers, pages, cookie: str, env: dict, *, rounds: int, requests: int
) -> dict:
    """Each page's median per round (ms). Interleaved request by request, so that a
    ratio compares requests made moments apart on a shared machine; cold pages last
    in each pass (their requests fill the cache again for the warm ones of the next
    pass). `pages`: name -> (server name, path, cold)."""
    out = {name: [] for name in pages}
    order = sorted(pages, key=lambda name: pages[name][2])
    for _ in range(rounds):
        times = {name: [] for name in pages}
        for _ in range(requests):
            for name in order:
                server, path, cold = pages[name]
                url = f"{servers[server].url}{path}"
                times[name].append(timed(url, cookie, cold_env=env if cold else None))
        for name in pages:
            out[name].append(median_ms(times[name]))
    return out


def spread(values: list[float], digits=1, unit="") -> str:
    """median (min to max) of per-round figures."""
    return (
        f"{statistics.median(values):.{digits}f}{unit} "
        f"({min(values):.{digits}f} to {max(values):.{digits}f})"
    )


def render_against_cache(thread_id: int, user_id: int) -> dict:
    """In process: render the 500 posts for a member (queries done beforehand),
    against a cache get_many of the same HTML split per post: would caching what
    is shared pay? (Only the sanitised body is the same for every viewer, and it is
    stored rendered already.)"""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import RequestFactory

    from circles.memberships import selectors as membership_selectors
    from circles.models import Thread
    from circles.threads import page, selectors
    from circles.threads.render import post_open, render_posts

    thread = Thread.objects.select_related("circle", "author").get(pk=thread_id)
    user = get_user_model().objects.get(pk=user_id)
    request = RequestFactory().get("/")
    request.user = user
    ctx = membership_selectors.viewer_context(user=user, circle=thread.circle)
    shape = selectors.thread_outline(thread=thread)
    posts = selectors.posts_by_id(thread=thread, ids=None)
    viewer = page.make_viewer(request, thread.circle, thread, ctx)
    render_posts(shape.order, posts, viewer)  # warm, and asks the levels once
    pieces = {
        f"bench:post:{p.id}": post_open(posts[p.id], p, viewer) for p in shape.order
    }
    cache.set_many(pieces, 300)
    keys = list(pieces)
    renders, reads = [], []
    for _ in range(30):
        start = time.perf_counter()
        render_posts(shape.order, posts, viewer)
        renders.append(time.perf_counter() - start)
        start = time.perf_counter()
        cache.get_many(keys)
        reads.append(time.perf_counter() - start)
    cache.delete_many(keys)
    return {"render": median_ms(renders), "cache": median_ms(reads)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=10, help="a page, a round")
    parser.add_argument("--long", type=int, default=5000)
    parser.add_argument("--before", type=Path, help="a checkout of the code before")
    args = parser.parse_args()
    env = bench_env()
    reset_database(env)
    members = seed(env, circles=1, per_circle=8)
    slug = members[1]["slug"]
    thread_id, _last = make_thread(500, slug=slug)
    page200, _ = make_thread(201, slug=slug)
    long_id, long_last = make_thread(args.long, slug=slug)
    cookie = f"sessionid={members[1]['session']}"
    ours = f"/circles/{slug}/threads/{thread_id}/"
    pages = {
        "bare view, 500 rows": ("bare", f"/rows/{thread_id}/", False),
        "thread page, 500 posts, warm cache": ("ours", ours, False),
        "thread page, 500 posts, cold cache": ("ours", ours, True),
        f"bare view, {args.long} rows": ("bare", f"/rows/{long_id}/", False),
        f"first screen, {args.long} posts": (
            "ours",
            f"/circles/{slug}/threads/{long_id}/",
            False,
        ),
        f"part holding the last of {args.long}": (
            "ours",
            f"/circles/{slug}/threads/{long_id}/?post={long_last}",
            False,
        ),
    }
    servers = page_servers(env, args.before)
    if args.before:
        pages["before: thread page, 500 posts, warm cache"] = ("before", ours, False)
        pages["before: thread page, 500 posts, cold cache"] = ("before", ours, True)
    for server in servers.values():
        server.start()
    try:
        sizes = {}
        for name in [s for s in ("ours", "before") if s in servers]:
            url = servers[name].url
            _status, raw = http_get(f"{url}{ours}", cookie)
            _status, sent = http_get(
                f"{url}{ours}", cookie, headers={"Accept-Encoding": "gzip"}
            )
            _status, small = http_get(
                f"{url}/circles/{slug}/threads/{page200}/", cookie
            )
            counted = tags(small)
            sizes[name] = {
                "raw": len(raw),
                "gzip": len(gzip.compress(raw, compresslevel=6)),
                "sent": len(sent),
                "sent_gzip": sent[:2] == b"\x1f\x8b",
                "dom": counted.count,
                "forms": counted.forms,
                "forms_500": tags(raw).forms,
            }
        for server, path, _cold in pages.values():  # warm every process
            http_get(f"{servers[server].url}{path}", cookie)
        rounds = interleaved_rounds(
            servers, pages, cookie, env, rounds=args.rounds, requests=args.requests
        )
    finally:
        for server in servers.values():
            server.stop()
    in_process = render_against_cache(thread_id, int(members[1]["user"]))
    in_process["words"] = body_tags(page200)
    report(args, pages, rounds, sizes, in_process)
    return 0


def report(args, pages, rounds, sizes, in_process) -> None:
    names = list(pages)
    bare500, bare_long = rounds[names[0]], rounds[names[3]]
    print(
        f"{args.rounds} interleaved rounds of {args.requests} requests a page, "
        "one client; per page the median of the round medians (min to max)"
    )
    for name in names:
        base = bare_long if args.long and str(args.long) in name else bare500
        line = f"{name:<46} {spread(rounds[name], unit=' ms')}"
        if not name.startswith("bare"):
            ratios = [a / b for a, b in zip(rounds[name], base, strict=True)]
            line += f"   {spread(ratios, 2, 'x')} bare"
        print(line)
    for name, size in sizes.items():
        print(
            f"{name}: 500-post page {size['raw'] / 1024:.0f} KB raw, "
            f"{size['gzip'] / 1024:.0f} KB gzip (level 6, here); the server sent "
            f"{size['sent'] / 1024:.0f} KB to a client asking for gzip "
            f"({'compressed' if size['sent_gzip'] else 'NOT compressed'}); "
            f"{size['forms_500']} forms"
        )
        print(
            f"{name}: 200-reply page {size['dom']} DOM elements "
            f"({size['dom'] - in_process['words']} without the "
            f"{in_process['words']} inside the posts' own words), {size['forms']} forms"
        )
    print(
        f"in process, 500 posts: render {in_process['render']:.1f} ms; "
        f"the same HTML from the cache (get_many of 500) {in_process['cache']:.1f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
