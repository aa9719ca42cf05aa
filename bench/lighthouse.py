"""Lighthouse over the seven key pages (issue 28), served by daphne from PostgreSQL
and Redis with DEBUG off, as in production (minus the proxy): home, the directory,
a circle, a thread of 200 replies, search, settings and log-in. Mobile and desktop
presets, three runs each; per page and preset the median of the three runs of
performance, accessibility, best practices and SEO, with the page's total bytes
(as transferred), LCP and TBT, and the audits that kept a category under 100.

The circle, the thread, search and settings are asked logged in (a member's session
cookie passed with --extra-headers); home, the directory and log-in logged out.

Needs npm's lighthouse in bench/node_modules (`npm ci` in bench/, pinned by
bench/package.json and its lock) and Chromium (CHROME_PATH, default
/usr/bin/chromium). `make bench-lighthouse` does both steps. Not part of `make test`.

    python bench/lighthouse.py [--runs 3] [--presets mobile,desktop] [--json FILE]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

from bench.common import ROOT, Daphne, bench_env  # noqa: E402

os.environ.update(bench_env())
os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
django.setup()

from bench.circle_page import fresh_circle  # noqa: E402
from bench.thread_page import make_thread  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-dev-shm-usage"


def lighthouse(url: str, *, preset: str, cookie: str | None) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = {
        **os.environ,
        "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
    }
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    if done.returncode:
        raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    audits = report["audits"]
    below = sorted(
        {
            ref["id"]
            for name in CATEGORIES
            if name != "performance"
            for ref in report["categories"][name]["auditRefs"]
            if ref["weight"]
            and audits[ref["id"]]["score"] is not None
            and audits[ref["id"]]["score"] < 1
        }
    )
    return {
        **{
            name: round(report["categories"][name]["score"] * 100)
            for name in CATEGORIES
        },
        "bytes": audits["total-byte-weight"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "below": below,
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
    }


def with_retries(url: str, *, preset: str, cookie: str | None, tries: int = 3):
    """Lighthouse now and then fails to record a trace on a busy machine
    (NO_NAVSTART): such a run is made again, and said."""
    for attempt in range(1, tries + 1):
        try:
            return lighthouse(url, preset=preset, cookie=cookie)
        except RuntimeError as failed:
            if attempt == tries:
                raise
            print(f"  (run again: {str(failed)[:160]})", flush=True)
    raise AssertionError("unreachable")


def pages(base: str, slug: str, thread_id: int) -> dict:
    """name -> (url, logged in)."""
    return {
        "home": (f"{base}/", False),
        "directory": (f"{base}/circles/", False),
        "circle": (f"{base}/circles/{slug}/", True),
        "thread, 200 replies": (f"{base}/circles/{slug}/threads/{thread_id}/", True),
        "search": (f"{base}/search/?q=thank", True),
        "settings": (f"{base}/accounts/settings/", True),
        "log-in": (f"{base}/accounts/login/", False),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--presets", default="mobile,desktop")
    parser.add_argument("--json", type=Path, help="also write every run here")
    args, _unknown = parser.parse_known_args()
    if not LIGHTHOUSE.exists():
        print("bench/node_modules has no lighthouse: run `npm ci` in bench/ first")
        return 1
    env = bench_env(RATE_LIMIT_SEARCH="1000/60")
    members, slug = fresh_circle(env, per_circle=8)
    thread_id, _last = make_thread(201, slug=slug)
    cookie = f"sessionid={members[1]['session']}"
    presets = args.presets.split(",")
    runs: dict = {}
    with Daphne(env=env) as server:
        for name, (url, logged_in) in pages(server.url, slug, thread_id).items():
            for preset in presets:
                # Interleaved: page by page, preset by preset.
                for _ in range(args.runs):
                    result = with_retries(
                        url, preset=preset, cookie=cookie if logged_in else None
                    )
                    if logged_in and "/accounts/login/" in (result["final_url"] or ""):
                        raise RuntimeError(f"{url} sent lighthouse to log in")
                    runs.setdefault((name, preset), []).append(result)
                    print(
                        f"  {name}, {preset}: "
                        + " ".join(f"{c} {result[c]}" for c in CATEGORIES),
                        flush=True,
                    )
    if args.json:
        args.json.write_text(
            json.dumps({f"{k[0]} | {k[1]}": v for k, v in runs.items()}, indent=1)
        )
    report(runs, presets, args.runs)
    return 0


def report(runs: dict, presets: list[str], count: int) -> None:
    print(f"\nmedian of {count} runs per page and preset")
    print(
        "| page | preset | performance | accessibility | best practices | SEO "
        "| total KB | LCP ms | TBT ms | audits under full marks (any run) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (name, preset), results in runs.items():

        def median(key, results=results):
            return statistics.median(r[key] for r in results)

        below = sorted({audit for r in results for audit in r["below"]})
        print(
            f"| {name} | {preset} | "
            + " | ".join(f"{median(c):.0f}" for c in CATEGORIES)
            + f" | {median('bytes') / 1024:.0f} | {median('lcp_ms'):.0f} "
            f"| {median('tbt_ms'):.0f} | {', '.join(below) or '-'} |"
        )


if __name__ == "__main__":
    sys.exit(main())
