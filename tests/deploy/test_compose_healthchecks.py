"""Every healthcheck of docker-compose.yml, run here as it would run in its container
(issue 14, item 4): the web check against daphne started with the compose file's own
production environment (DEBUG off, ALLOWED_HOSTS the public host only), the db and
redis checks against the local services when their binaries exist."""

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.live_server import _database_url, _free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
# What an operator exports before `docker compose up` (README).
OPERATOR_ENV = {
    "SECRET_KEY": "a-production-like-secret-key-for-the-healthcheck-test-0123456789",
    "POSTGRES_PASSWORD": "not-used-here",
    "PUBLIC_HOST": "circles.example.org",
    "EMAIL_URL": "smtp://circles:mail-password@mail.example.org:587/?tls=True",
}


def interpolate(value: str, env: dict) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} substitution."""

    def one(match):
        name, op, arg = match.group(1), match.group(2), match.group(3) or ""
        if env.get(name):
            return env[name]
        if op == ":?":
            raise AssertionError(f"compose needs {name}: {arg}")
        return arg if op == ":-" else ""

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", one, str(value))


def healthcheck(service: str) -> list[str]:
    test = COMPOSE["services"][service]["healthcheck"]["test"]
    assert test[0] in ("CMD", "CMD-SHELL"), test
    return test


def service_env(service: str, operator_env: dict | None = None) -> dict:
    return {
        name: interpolate(value, OPERATOR_ENV if operator_env is None else operator_env)
        for name, value in COMPOSE["services"][service]["environment"].items()
    }


def test_the_web_environment_is_production():
    env = service_env("web")
    assert env["DEBUG"] == "0"
    assert env["ALLOWED_HOSTS"] == "circles.example.org"
    assert "127.0.0.1" not in env["ALLOWED_HOSTS"].split(",")


def production_env(**extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "TESTING", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(service_env("web"))
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """The image runs collectstatic at build time (Dockerfile); so do we."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(root)),
        check=True,
        timeout=120,
    )
    return root


@pytest.fixture
def production_daphne(redis_url, transactional_db, static_root, tmp_path):
    """daphne as the web service runs it: the compose environment, with the
    database and Redis pointed at the local services instead of `db` and `redis`."""
    port = _free_port()
    env = production_env(
        DATABASE_URL=_database_url(),
        REDIS_URL=redis_url,
        CHANNEL_LAYER_PREFIX=f"compose-{port}",
        STATIC_ROOT=str(static_root),
    )
    log = tmp_path / "daphne.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
        + ["community.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, proc, 30, log.read_text)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_web_healthcheck_passes_under_production_settings(production_daphne):
    test = healthcheck("web")
    assert test[:2] == ["CMD", "python"]
    command = [sys.executable] + [
        part.replace("127.0.0.1:8000", f"127.0.0.1:{production_daphne}")
        for part in test[2:]
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_production_settings_still_refuse_other_hosts(production_daphne):
    request = urllib.request.Request(
        f"http://127.0.0.1:{production_daphne}/accounts/login/",
        headers={"X-Forwarded-Proto": "https"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400
    allowed = urllib.request.Request(
        f"http://127.0.0.1:{production_daphne}/accounts/login/",
        headers={"Host": "circles.example.org", "X-Forwarded-Proto": "https"},
    )
    with urllib.request.urlopen(allowed, timeout=5) as response:
        assert response.status == 200


def test_the_db_healthcheck_passes_against_local_postgres(postgres):
    if not shutil.which("pg_isready"):
        pytest.skip("pg_isready is not installed here")
    test = healthcheck("db")
    command = test[1:] if test[0] == "CMD" else ["sh", "-c", test[1]]
    # In its container pg_isready reaches the server through the local socket;
    # here it is the service on 127.0.0.1.
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": "5432"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_redis_healthcheck_passes_against_local_redis(redis_url):
    if not shutil.which("redis-cli"):
        pytest.skip("redis-cli is not installed here")
    test = healthcheck("redis")
    assert test[:2] == ["CMD", "redis-cli"]
    command = ["redis-cli", "-u", redis_url] + test[2:]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stdout.strip() == "PONG"
