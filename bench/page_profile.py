"""Where a page's time goes, beside the bare view of the same rows (issue 28).

Each page is asked in process through Django's test client against the bench's
PostgreSQL database (the same data as `thread_page.py` and `circle_page.py`), as a
logged-in member with the shared cache warm. Printed for each page:

- CPU of one request (this thread's `time.thread_time()`, median of `--requests`),
  and the ratio to its bare view: the floor a page can reach is set by what it
  must do that the bare view does not;
- the same request under cProfile, its own time (`tottime`, so nothing is counted
  twice) summed by where the code lives: the ORM building and compiling SQL and
  making objects; the database driver (sending, reading rows: CPU only, as the
  clock is this thread's); Django's templates; this project's code (pages,
  rendering, permissions, screening); middleware, sessions and auth; Django's core
  (URLs, requests, responses). Python's own functions (built-ins, the standard
  library) count where they were called from. Shares are of the profiled total;
  the profiler slows small calls more than large ones, so shares are a guide and
  the unprofiled CPU is the figure.

    python bench/page_profile.py [--requests 50]
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

from bench.common import ROOT, bench_env  # noqa: E402

os.environ.update(bench_env())
os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
django.setup()

from bench.circle_page import fresh_circle  # noqa: E402
from bench.thread_page import make_thread  # noqa: E402

OURS = tuple(str(ROOT / part) for part in ("circles", "community", "moderation"))
# (label, test on a profiled function's file name), first match wins; a function
# of Python itself (built-ins, the standard library) counts where it was called.
PLACES = (
    ("database driver", lambda f: "/psycopg" in f),
    ("ORM: building, compiling SQL, making objects", lambda f: "/django/db/" in f),
    ("templates", lambda f: "/django/template" in f),
    (
        "middleware, sessions, auth",
        lambda f: any(
            p in f
            for p in (
                "/django/middleware/",
                "/django/contrib/sessions/",
                "/django/contrib/auth/",
                "/whitenoise/",
                "/csp/",
            )
        ),
    ),
    ("this project's code", lambda f: f.startswith(OURS)),
    ("Django's core", lambda f: "/django/" in f),
)
OTHER = "other libraries"
PYTHON = "python itself, called from nowhere above"


def own_place(filename: str) -> str | None:
    """None for Python's own code, which counts where it was called from."""
    if (
        filename == "~"
        or "/site-packages/" not in filename
        and not filename.startswith(OURS)
    ):
        return None
    for label, test in PLACES:
        if test(filename):
            if label.startswith("Django's core"):
                part = filename.split("/django/", 1)[1].split("/", 1)[0]
                return f"Django's core: {part.removesuffix('.py')}"
            return label
    return OTHER


def places(stats: pstats.Stats) -> dict[str, float]:
    """Own time by place; Python's own functions split among their callers by the
    time each caller spent in them, up the call graph until a place is found."""
    out: dict[str, float] = defaultdict(float)

    def spread(func, amount: float, depth: int = 0) -> None:
        place = own_place(func[0])
        if place is not None:
            out[place] += amount
            return
        callers = stats.stats[func][4] if func in stats.stats else {}
        total = sum(row[2] for row in callers.values())
        if depth > 6 or not total:
            out[PYTHON] += amount
            return
        for caller, row in callers.items():
            spread(caller, amount * row[2] / total, depth + 1)

    for func, row in stats.stats.items():
        spread(func, row[2])
    return out


def cpu_ms(client, path: str, requests: int) -> float:
    times = []
    for _ in range(requests):
        start = time.thread_time()
        response = client.get(path)
        times.append((time.thread_time() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


def profile(client, path: str, requests: int) -> dict[str, float]:
    """Shares of the profiled requests' CPU by place (a CPU clock: waiting on the
    database is not counted, as in `cpu_ms`)."""
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    shares = places(pstats.Stats(profiler))
    total = sum(shares.values())
    return {label: value / total for label, value in shares.items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args, _unknown = parser.parse_known_args()
    members, slug = fresh_circle(bench_env())
    thread_id, _last = make_thread(500, slug=slug)
    one_post, _ = make_thread(1, slug=slug)

    from django.conf import settings
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = members[1]["session"]
    pages = {
        "thread page, 500 posts": (
            f"/circles/{slug}/threads/{thread_id}/",
            f"/rows/{thread_id}/",
        ),
        "thread page, 1 post": (
            f"/circles/{slug}/threads/{one_post}/",
            f"/rows/{one_post}/",
        ),
        "circle page (50 chat messages, 11 threads)": (
            f"/circles/{slug}/",
            f"/circle-rows/{slug}/",
        ),
        "home page (logged in)": ("/", None),
    }
    print(
        f"CPU of one request in process, median of {args.requests}; then the "
        "profiled request's own time by where the code lives"
    )
    bare_urls = override_settings(ROOT_URLCONF="bench.baselines.bare_urls")
    for name, (path, bare) in pages.items():
        for _ in range(3):  # warm the caches and the code
            client.get(path)
        ours = cpu_ms(client, path, args.requests)
        line = f"{name}: {ours:.1f} ms"
        if bare:
            with bare_urls:
                for _ in range(3):
                    client.get(bare)
                base = cpu_ms(client, bare, args.requests)
            line += f", bare view {base:.1f} ms: {ours / base:.2f}x"
        print(line)
        for label, share in sorted(
            profile(client, path, args.requests).items(), key=lambda kv: -kv[1]
        ):
            print(f"    {share * 100:5.1f}%  {ours * share:5.1f} ms  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
