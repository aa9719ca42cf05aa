"""Lighthouse over the seven key pages (issue 28), served by daphne from PostgreSQL
and Redis with DEBUG off, as in production (minus the proxy): home, the directory,
a circle, a thread of 200 replies, search, settings and log-in. Mobile and desktop
presets, three runs each; per page and preset the median of the three runs of
performance, accessibility, best practices and SEO, with the page's total bytes
(as transferred), LCP and TBT, and the audits that kept a category under 100.

The circle, the thread, search and settings are asked logged in (a Chromium this
script launches with the member's session cookie in its jar, driven by Lighthouse
through --port, so the page's WebSockets are signed in too); home, the directory and
log-in logged out (Lighthouse launches Chromium itself).

Needs npm's lighthouse in bench/node_modules (`npm ci` in bench/, pinned by
bench/package.json and its lock) and Chromium (CHROME_PATH, default
/usr/bin/chromium). `make bench-lighthouse` does both steps. Not part of `make test`.

With the scores, where each page's main-thread time goes (issue 28's profile): per
page and preset, the median over the runs of Lighthouse's main-thread work by kind
(`mainthread-work-breakdown`: script evaluation, style & layout, parsing HTML & CSS,
rendering, ...), each script's boot-up time (`bootup-time`, every script: its 50 ms
threshold is set to 0), the long tasks (`long-tasks`: how many, their blocking part,
what they are attributed to, with `diagnostics`' task counts), the LCP's phases, the
DOM's size and what blocks the first paint; each figure also as a ratio to the
log-in page's (the page with the least of ours) in the same run. Every run's load
average is printed beside it: the machine is shared.

With `--before DIR` (a checkout of the code before a change, sharing this database),
that code is served by its own daphne and measured in the same session, run by run
interleaved with this one (ours, before, before, ours, ...), so before and after see
the same box.

    python bench/lighthouse.py [--runs 3] [--presets mobile,desktop] [--json FILE]
        [--only home,log-in] [--before DIR]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

from bench.common import (  # noqa: E402
    ROOT,
    Daphne,
    before_server,
    bench_env,
    free_port,
)

os.environ.update(bench_env())
os.environ["DJANGO_SETTINGS_MODULE"] = "community.settings"
django.setup()

from bench.circle_page import fresh_circle  # noqa: E402
from bench.thread_page import make_thread  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-dev-shm-usage"
CONFIG_DIR = ROOT / "bench" / "node_modules" / "lighthouse" / "core" / "config"
BASELINE = "log-in"
# Lighthouse's task groups (mainthread-work-breakdown), in the order printed.
GROUPS = (
    ("scriptEvaluation", "script eval"),
    ("scriptParseCompile", "script parse"),
    ("styleLayout", "style & layout"),
    ("paintCompositeRender", "rendering"),
    ("parseHTML", "parse HTML & CSS"),
    ("garbageCollection", "GC"),
    ("other", "other"),
)


def config_file(preset: str) -> Path:
    """Lighthouse's own preset with one option changed: `bootup-time` lists every
    script, not only those over 50 ms. Scores and metrics are the preset's."""
    base = CONFIG_DIR / (
        "desktop-config.js" if preset == "desktop" else "default-config.js"
    )
    text = (
        f"import base from {json.dumps(base.as_uri())};\n"
        "const audits = [{path: 'bootup-time', options: {thresholdInMs: 0}}];\n"
        "export default preset_config(base, audits);\n"
        "function preset_config(base, audits) {\n"
        "  if (base.extends) return {...base, audits};\n"
        "  return {extends: 'lighthouse:default', audits};\n"
        "}\n"
    )
    path = (
        Path(tempfile.gettempdir()) / f"lighthouse-profile-{preset}-{os.getpid()}.mjs"
    )
    path.write_text(text)
    return path


# chrome-launcher's own flags (what Lighthouse launches Chromium with), for the
# Chromium this script launches itself for the pages asked logged in.
LAUNCHER_FLAGS = (
    "--disable-features=Translate,OptimizationHints,MediaRouter,"
    "DialMediaRouteProvider,CalculateNativeWinOcclusion,"
    "InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater,"
    "AutofillServerCommunication,PrivacySandboxSettings4",
    "--disable-extensions",
    "--disable-component-extensions-with-background-pages",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-client-side-phishing-detection",
    "--disable-sync",
    "--metrics-recording-only",
    "--disable-default-apps",
    "--mute-audio",
    "--no-default-browser-check",
    "--no-first-run",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-ipc-flooding-protection",
    "--password-store=basic",
    "--use-mock-keychain",
    "--disable-hang-monitor",
    "--disable-prompt-on-repost",
    "--disable-domain-reliability",
)


class SignedInChromium:
    """A fresh Chromium (its own empty profile) holding the member's session cookie
    in its cookie jar, for Lighthouse to drive through `--port`. A Cookie header
    given with --extra-headers reaches the page's requests but not its WebSocket
    handshakes: the page's sockets were refused (4403) and the page drew "Live
    updates have stopped" in a box, which became the LCP element of the circle,
    thread and settings pages. With the cookie in the jar the sockets open, as
    they do for a member. Lighthouse clears no cookies."""

    def __init__(self, cookie: str, host: str):
        self.name, self.value = cookie.split("=", 1)
        self.host = host
        self.port = free_port()
        self.profile = Path(tempfile.mkdtemp(prefix="lighthouse-chromium-"))
        self.proc = None

    def __enter__(self) -> int:
        from websockets.sync.client import connect

        chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
        self.proc = subprocess.Popen(
            [
                chrome,
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}",
                *CHROME_FLAGS.split(),
                *LAUNCHER_FLAGS,
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/json/version", timeout=2
                ) as answer:
                    endpoint = json.load(answer)["webSocketDebuggerUrl"]
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        cookie = {"name": self.name, "value": self.value, "domain": self.host}
        cookie.update(path="/", httpOnly=True)
        with connect(endpoint, max_size=None) as cdp:
            cdp.send(
                json.dumps(
                    {
                        "id": 1,
                        "method": "Storage.setCookies",
                        "params": {"cookies": [cookie]},
                    }
                )
            )
            answer = json.loads(cdp.recv(timeout=10))
            if "error" in answer:
                raise RuntimeError(f"could not set the cookie: {answer['error']}")
        return self.port

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


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
    command.append(f"--config-path={config_file(preset)}")
    env = {
        **os.environ,
        "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
    }
    if cookie:
        # Logged in: a Chromium holding the session cookie (SignedInChromium).
        host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
        with SignedInChromium(cookie, host) as port:
            done = subprocess.run(
                [*command, f"--port={port}"],
                capture_output=True,
                text=True,
                env=env,
                timeout=300,
                check=False,
            )
    else:
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
        "load": os.getloadavg()[0],
        "profile": profile(audits),
    }


def short_url(url: str) -> str:
    """A static file by its name without the manifest's hash; the page itself as
    "(page)"; Lighthouse's "Other" (work no script is blamed for) as it is."""
    if not url.startswith("http"):
        return url
    path = url.split("?", 1)[0].split("://", 1)[1].split("/", 1)[-1]
    if not path.startswith("static/"):
        return "(page)"
    return re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", path.rsplit("/", 1)[-1])


def items(audit: dict) -> list:
    return (audit.get("details") or {}).get("items") or []


def profile(audits: dict) -> dict:
    """Where the run's main-thread time went, from its audits (all in ms, simulated:
    on mobile Lighthouse multiplies what it observed by its 4x CPU slowdown)."""
    work = {g: 0.0 for g, _label in GROUPS}
    for item in items(audits["mainthread-work-breakdown"]):
        group = item.get("group", "other")
        work[group if group in work else "other"] += item["duration"]
    bootup = {}
    for item in items(audits["bootup-time"]):
        name = short_url(item["url"])
        total, scripting = bootup.get(name, (0.0, 0.0))
        bootup[name] = (total + item["total"], scripting + item["scripting"])
    long_tasks = audits.get("long-tasks") or {}
    tasks = items(long_tasks)
    blamed: dict = {}
    for task in tasks:
        name = short_url(task["url"])
        blamed[name] = blamed.get(name, 0.0) + task["duration"]
    debug_tasks = (long_tasks.get("details") or {}).get("debugData", {}).get("tasks")
    task_groups: dict = {}
    for task in debug_tasks or []:
        for key, value in task.items():
            if key not in ("urlIndex", "startTime", "duration"):
                task_groups[key] = task_groups.get(key, 0.0) + value
    diagnostics = (items(audits.get("diagnostics") or {}) or [{}])[0]
    phases = {}
    for part in items(audits.get("largest-contentful-paint-element") or {}):
        for row in part.get("items", []) if isinstance(part, dict) else []:
            if "phase" in row:
                phases[row["phase"]] = row["timing"]
    element = ""
    for part in items(audits.get("largest-contentful-paint-element") or {}):
        for row in part.get("items", []) if isinstance(part, dict) else []:
            node = row.get("node") or {}
            if node.get("selector"):
                label = (node.get("nodeLabel") or "")[:40]
                element = f"{node['selector']} ({label})"
    blocking = audits.get("render-blocking-resources") or {}
    return {
        "work_ms": audits["mainthread-work-breakdown"]["numericValue"],
        "work": work,
        "bootup": bootup,
        "long_tasks": len(tasks),
        "long_ms": sum(t["duration"] for t in tasks),
        "long_blocking_ms": sum(max(0.0, t["duration"] - 50) for t in tasks),
        "longest_ms": max((t["duration"] for t in tasks), default=0.0),
        "long_blamed": blamed,
        "long_groups": task_groups,
        "tasks_over_50": diagnostics.get("numTasksOver50ms"),
        "tasks_over_25": diagnostics.get("numTasksOver25ms"),
        "dom": audits["dom-size"].get("numericValue"),
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "si_ms": audits["speed-index"]["numericValue"],
        "ttfb_ms": audits["server-response-time"].get("numericValue"),
        "lcp_phases": phases,
        "lcp_element": element,
        "render_blocking": sorted(short_url(i["url"]) for i in items(blocking)),
        "render_blocking_ms": blocking.get("numericValue") or 0.0,
        "unused_css_bytes": sum(
            i.get("wastedBytes", 0) for i in items(audits.get("unused-css-rules") or {})
        ),
        "unused_js_bytes": sum(
            i.get("wastedBytes", 0)
            for i in items(audits.get("unused-javascript") or {})
        ),
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
    parser.add_argument(
        "--only", help="these pages alone: names or their starts, comma-separated"
    )
    parser.add_argument("--before", type=Path, help="a checkout of the code before")
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
    servers = {"": Daphne(env=env)}
    if args.before:
        servers["before: "] = before_server(env, args.before)
    for server in servers.values():
        server.start()
    try:
        for name, (path, logged_in) in pages("", slug, thread_id).items():
            # Names are matched by their start: "thread" is "thread, 200 replies".
            if args.only and not any(
                name.startswith(first) for first in args.only.split(",")
            ):
                continue
            for preset in presets:
                # Interleaved: page by page, preset by preset, and (with --before)
                # run by run between the two versions, in turn first.
                for run in range(args.runs):
                    order = list(servers.items())
                    if run % 2:
                        order.reverse()
                    for label, server in order:
                        url = server.url + path
                        result = with_retries(
                            url, preset=preset, cookie=cookie if logged_in else None
                        )
                        final = result["final_url"] or ""
                        if logged_in and "/accounts/login/" in final:
                            raise RuntimeError(f"{url} sent lighthouse to log in")
                        runs.setdefault((label + name, preset), []).append(result)
                        print(
                            f"  {label}{name}, {preset}: "
                            + " ".join(f"{c} {result[c]}" for c in CATEGORIES)
                            + f" | TBT {result['tbt_ms']:.0f} LCP"
                            f" {result['lcp_ms']:.0f} | load {result['load']:.2f}",
                            flush=True,
                        )
    finally:
        for server in servers.values():
            server.stop()
    if args.json:
        args.json.write_text(
            json.dumps({f"{k[0]} | {k[1]}": v for k, v in runs.items()}, indent=1)
        )
    report(runs, presets, args.runs)
    report_profile(runs, list(servers))
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


def med(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else 0.0


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


def report_profile(runs: dict, labels: list[str]) -> None:
    """Where the main thread's time goes: medians per page and preset, and each
    page against the log-in page of the same version and preset."""
    print(
        "\nmain-thread work by kind (mainthread-work-breakdown), ms, median of the "
        f"runs; (xN) against {BASELINE} in the same run"
    )
    print(
        "| page | preset | TBT | main thread | "
        + " | ".join(label for _g, label in GROUPS)
        + " | long tasks | their blocking part | longest | tasks >50 ms (trace) "
        "| load avg |"
    )
    print("|---" * (len(GROUPS) + 9) + "|")
    for (name, preset), results in runs.items():
        label = next(
            x for x in sorted(labels, key=len, reverse=True) if name.startswith(x)
        )
        base = runs.get((label + BASELINE, preset), results)

        def both(get, results=results, base=base, digits=0) -> str:
            value, against = med(map(get, results)), med(map(get, base))
            text = f"{value:.{digits}f}"
            return text if results is base else f"{text} ({ratio(value, against)})"

        loads = [r["load"] for r in results]
        print(
            f"| {name} | {preset} | {both(lambda r: r['tbt_ms'])} "
            f"| {both(lambda r: r['profile']['work_ms'])} | "
            + " | ".join(
                both(lambda r, g=g: r["profile"]["work"][g]) for g, _label in GROUPS
            )
            + f" | {med(r['profile']['long_tasks'] for r in results):.0f} "
            f"| {both(lambda r: r['profile']['long_blocking_ms'])} "
            f"| {med(r['profile']['longest_ms'] for r in results):.0f} "
            f"| {med(r['profile']['tasks_over_50'] for r in results):.0f} "
            f"| {min(loads):.1f}-{max(loads):.1f} |"
        )

    print("\nscript boot-up (bootup-time, every script), ms, median: total / scripting")
    print("| page | preset | per script (page = the document's own work) |")
    print("|---|---|---|")
    for (name, preset), results in runs.items():
        urls = sorted({u for r in results for u in r["profile"]["bootup"]})
        cells = []
        for url in urls:
            total = med(r["profile"]["bootup"].get(url, (0, 0))[0] for r in results)
            scripting = med(r["profile"]["bootup"].get(url, (0, 0))[1] for r in results)
            cells.append((total, f"{url} {total:.0f}/{scripting:.0f}"))
        cells.sort(reverse=True)
        print(f"| {name} | {preset} | {', '.join(c for _t, c in cells)} |")

    print("\nlong tasks (long-tasks), median ms a run, by what they are attributed to")
    print("| page | preset | attributed to | by kind inside the long tasks |")
    print("|---|---|---|---|")
    for (name, preset), results in runs.items():
        urls = sorted({u for r in results for u in r["profile"]["long_blamed"]})
        blamed = ", ".join(
            f"{u} {med(r['profile']['long_blamed'].get(u, 0) for r in results):.0f}"
            for u in urls
        )
        kinds = sorted({k for r in results for k in r["profile"]["long_groups"]})
        inside = ", ".join(
            f"{k} {med(r['profile']['long_groups'].get(k, 0) for r in results):.0f}"
            for k in kinds
        )
        print(f"| {name} | {preset} | {blamed or '-'} | {inside or '-'} |")

    print("\nfirst paint and LCP, median ms; LCP element and what blocks the paint")
    print(
        "| page | preset | FCP | LCP | LCP: TTFB / load delay / load time / render "
        "delay | speed index | server | DOM elements | render-blocking (ms) "
        "| unused CSS KB | unused JS KB | LCP element |"
    )
    print("|---" * 12 + "|")
    for (name, preset), results in runs.items():
        phases = " / ".join(
            f"{med(r['profile']['lcp_phases'].get(p) for r in results):.0f}"
            for p in ("TTFB", "Load Delay", "Load Time", "Render Delay")
        )
        blocking = sorted({u for r in results for u in r["profile"]["render_blocking"]})
        elements = {r["profile"]["lcp_element"] for r in results}
        print(
            f"| {name} | {preset} | {med(r['profile']['fcp_ms'] for r in results):.0f} "
            f"| {med(r['lcp_ms'] for r in results):.0f} | {phases} "
            f"| {med(r['profile']['si_ms'] for r in results):.0f} "
            f"| {med(r['profile']['ttfb_ms'] for r in results):.0f} "
            f"| {med(r['profile']['dom'] for r in results):.0f} "
            f"| {', '.join(blocking) or '-'} "
            f"({med(r['profile']['render_blocking_ms'] for r in results):.0f}) "
            f"| {med(r['profile']['unused_css_bytes'] for r in results) / 1024:.1f} "
            f"| {med(r['profile']['unused_js_bytes'] for r in results) / 1024:.1f} "
            f"| {' / '.join(sorted(e[-90:] for e in elements if e)) or '-'} |"
        )


if __name__ == "__main__":
    sys.exit(main())
