"""Shared harness for the benchmarks: real daphne processes against real PostgreSQL
and Redis, each run in a fresh database so figures are comparable."""

import os
import signal
import socket
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import wait_for_port  # noqa: E402

PY = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/circles_bench_main"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"


def bench_env(**extra) -> dict:
    env = dict(os.environ)
    env.update({k: str(v) for k, v in extra.items() if k.startswith("BENCH_")})
    env.setdefault("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    env["DATABASE_URL"] = env["BENCH_DATABASE_URL"]
    env["REDIS_URL"] = env["BENCH_REDIS_URL"]
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DB_CONN_MAX_AGE="0",  # daphne runs each request on its own thread
        DB_POOL_SIZE="16",  # so connections come from a pool (as in compose)
        LOG_LEVEL="WARNING",
        CHAT_RATE_LIMIT_COUNT="100000",
        # Production settings refuse to start without it; bench email stays local.
        EMAIL_URL=f"file://{ROOT / 'var' / 'bench-mail'}",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(*args, env=None, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env or bench_env(),
        check=check,
        capture_output=True,
        text=True,
    )


def reset_database(env=None) -> None:
    """Drop and recreate the bench database, then migrate it."""
    env = env or bench_env()
    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(
        ["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
        check=True,
    )
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    manage("migrate", "--noinput", env=env)
    manage(
        "collectstatic", "--noinput", env=env
    )  # DEBUG is off: served from the manifest
    subprocess.run(
        ["redis-cli", "-u", env["REDIS_URL"], "flushdb"],
        check=False,
        capture_output=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daphne:
    """A daphne process serving the project (or another ASGI app) on a free port."""

    def __init__(self, app="community.asgi:application", env=None, port=None, cwd=None):
        self.app, self.env, self.port = app, env or bench_env(), port or free_port()
        self.cwd = cwd or ROOT  # another checkout serves its own code
        self.proc = None

    def start(self, timeout=20.0) -> "Daphne":
        self.proc = subprocess.Popen(
            [PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), self.app],
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for_port(
            self.port,
            self.proc,
            timeout,
            lambda: self.proc.stderr.read().decode()[-2000:],
        )
        return self

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far (Linux /proc)."""
        fields = (
            Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        )
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def before_server(env: dict, before: Path) -> Daphne:
    """Daphne serving a checkout of the code before (`--before DIR`), with its own
    static files, for interleaved before/after runs."""
    before = before.resolve()
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput"],
        cwd=before,
        env={**env, "PYTHONPATH": str(before)},
        check=True,
        capture_output=True,
    )
    return Daphne(env={**env, "PYTHONPATH": str(before)}, cwd=before)


def percentile(values, p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary_ms(values) -> dict:
    return {
        "p50": percentile(values, 50) * 1000,
        "p95": percentile(values, 95) * 1000,
        "p99": percentile(values, 99) * 1000,
        "mean": (statistics.fmean(values) * 1000) if values else float("nan"),
    }


def http_get(
    url: str, cookies: str = "", timeout=10.0, headers: dict | None = None
) -> tuple[int, bytes]:
    """The status and body as sent (urllib does not decompress: a gzip body stays
    gzip)."""
    sent = {"Cookie": cookies} if cookies else {}
    request = urllib.request.Request(url, headers={**sent, **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()
