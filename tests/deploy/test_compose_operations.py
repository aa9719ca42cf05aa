"""The compose file as an operator runs it (issue 27, "Compose that is right"): email
is required outside local mode, secrets may come from files, WORKER_CONCURRENCY is
honoured, the migrate job imports the resources, and the worker, scheduler and proxy
healthchecks work under production settings."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from community.jobs.health import heartbeat_record, worker_heartbeat_name
from tests.deploy.test_compose_healthchecks import (
    COMPOSE,
    OPERATOR_ENV,
    ROOT,
    healthcheck,
    production_env,
    service_env,
)
from tests.live_server import _database_url

SETTINGS_PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'key': s.SECRET_KEY, 'email': s.EMAIL_BACKEND, "
    "'db': s.DATABASES['default']['NAME'], "
    "'concurrency': s.CELERY_WORKER_CONCURRENCY}))"
)


def settings_of(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "community.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_refuses_without_email_url_naming_it(tmp_path):
    operator = {k: v for k, v in OPERATOR_ENV.items() if k != "EMAIL_URL"}
    env = production_env(**service_env("web", operator), VAR_DIR=str(tmp_path))
    done = settings_of(env)
    assert done.returncode != 0
    assert "EMAIL_URL (or EMAIL_URL_FILE) must be set outside local mode" in done.stderr


def test_local_mode_still_starts_without_email_url(tmp_path):
    operator = {k: v for k, v in OPERATOR_ENV.items() if k != "EMAIL_URL"}
    env = production_env(
        **service_env("web", operator), LOCAL_MODE="1", VAR_DIR=str(tmp_path)
    )
    done = settings_of(env)
    assert done.returncode == 0, done.stderr
    assert "filebased" in done.stdout


def test_secrets_can_come_from_files(tmp_path):
    (tmp_path / "key").write_text(
        "a-secret-key-from-a-file-0123456789-abcdefghijklmnop\n"
    )
    (tmp_path / "email").write_text("smtp://mail.example.org:587\n")
    (tmp_path / "db").write_text(f"sqlite:///{tmp_path / 'from-file.sqlite3'}\n")
    operator = {
        k: v for k, v in OPERATOR_ENV.items() if k not in {"SECRET_KEY", "EMAIL_URL"}
    }
    env = production_env(
        **{
            **service_env("web", operator),
            "SECRET_KEY_FILE": str(tmp_path / "key"),
            "EMAIL_URL_FILE": str(tmp_path / "email"),
            "DATABASE_URL": "",
            "DATABASE_URL_FILE": str(tmp_path / "db"),
            "VAR_DIR": str(tmp_path),
        }
    )
    done = settings_of(env)
    assert done.returncode == 0, done.stderr
    assert (
        '"key": "a-secret-key-from-a-file-0123456789-abcdefghijklmnop"' in done.stdout
    )
    assert "smtp.EmailBackend" in done.stdout
    assert "from-file.sqlite3" in done.stdout


def test_a_secret_given_twice_is_refused(tmp_path):
    (tmp_path / "key").write_text("another-key")
    env = production_env(SECRET_KEY_FILE=str(tmp_path / "key"), VAR_DIR=str(tmp_path))
    done = settings_of(env)
    assert done.returncode != 0
    assert "Both SECRET_KEY and SECRET_KEY_FILE are set: set only one of them." in (
        done.stderr
    )


def test_worker_concurrency_is_honoured(tmp_path):
    worker = COMPOSE["services"]["worker"]
    assert "--concurrency" not in worker["command"]
    env = production_env(
        **service_env("worker", {**OPERATOR_ENV, "WORKER_CONCURRENCY": "5"}),
        VAR_DIR=str(tmp_path),
    )
    done = settings_of(env)
    assert done.returncode == 0, done.stderr
    assert '"concurrency": 5' in done.stdout


def test_the_migrate_job_migrates_then_imports_the_resources():
    command = " ".join(COMPOSE["services"]["migrate"]["command"])
    assert re.search(
        r"manage\.py migrate --noinput && python manage\.py import_resources", command
    )


def test_the_image_carries_a_postgres_client_of_the_servers_major_version():
    server_major = re.search(r"postgres:(\d+)", COMPOSE["services"]["db"]["image"])[1]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"ARG PG_MAJOR={server_major}" in dockerfile
    assert "postgresql-client-${PG_MAJOR}" in dockerfile


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("service", ["worker", "scheduler"])
def test_the_background_healthchecks_follow_the_heartbeat(service, tmp_path):
    test = healthcheck(service)
    assert test[:2] == ["CMD", "python"]
    env = production_env(
        **{
            **service_env(service),
            "DATABASE_URL": _database_url(),
            "VAR_DIR": str(tmp_path),
        }
    )

    def probe():
        return subprocess.run(
            [sys.executable] + test[2:],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    before = probe()
    assert before.returncode == 1, before.stdout + before.stderr
    name = worker_heartbeat_name() if service == "worker" else "scheduler"
    heartbeat_record(kind=service, name=name)
    after = probe()
    assert after.returncode == 0, after.stdout + after.stderr


CADDYFILE = ROOT / "Caddyfile"


def test_the_proxy_uses_the_caddyfile_and_probes_its_own_health_site():
    proxy = COMPOSE["services"]["proxy"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert "command" not in proxy  # the image's default: caddy run with the Caddyfile
    url = healthcheck("proxy")[-1]
    assert url == "http://127.0.0.1:8081/caddy-health"
    caddyfile = CADDYFILE.read_text()
    assert "http://127.0.0.1:8081 {" in caddyfile
    assert 'respond /caddy-health "ok" 200' in caddyfile
    assert "2019" not in url  # the admin port `caddy reverse-proxy` turns off
    site = caddyfile.split("{$PUBLIC_HOST} {", 1)[1]
    assert "encode zstd gzip" in site
    assert "Strict-Transport-Security" in site and "X-Content-Type-Options" in site
    assert "dynamic a web 8000" in site


@pytest.mark.skipif(not shutil.which("caddy"), reason="caddy is not installed here")
def test_the_caddyfile_is_valid(tmp_path):
    env = {"PUBLIC_HOST": "circles.example.org", "HOME": str(tmp_path)}
    done = subprocess.run(
        ["caddy", "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={**env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_every_service_that_runs_has_a_healthcheck():
    for name, service in COMPOSE["services"].items():
        if name == "migrate":
            continue
        assert "healthcheck" in service, name


def test_the_dockerfile_builds_static_files_without_real_secrets():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "EMAIL_URL=console:" in dockerfile  # collectstatic only; never at run time
    assert Path(ROOT / "Caddyfile").exists()
