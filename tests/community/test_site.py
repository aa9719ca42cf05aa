import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_db_and_channel_layer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"db": "ok", "channel_layer": "ok"}


def test_healthz_names_a_down_channel_layer(client, db, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": "redis://127.0.0.1:1", "socket_timeout": 0.2}]
            },
        }
    }
    from channels.layers import channel_layers

    channel_layers.backends.pop("default", None)
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.pop("default", None)
    assert response.status_code == 503
    assert response.json() == {"db": "ok", "channel_layer": "down"}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "circles.example.org",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "WARNINGS" not in result.stderr
        and "System check identified no issues" in result.stdout
    )


def test_docker_compose_has_db_redis_and_scalable_web():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web"} <= set(services)
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for name in ("db", "redis", "web"):
        assert "healthcheck" in services[name], name
    web = services["web"]
    env = web["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")
    assert "SECRET_KEY" in env and "ALLOWED_HOSTS" in env
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "container_name" not in web  # replicas need generated names
    assert "ports" not in web or all(
        ":" not in str(p).rsplit("-", 1)[0] for p in web["ports"]
    )
    assert web["deploy"]["replicas"] >= 2
    assert compose["volumes"] and "db-data" in compose["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "daphne" in dockerfile and "collectstatic" in dockerfile
    entry = (ROOT / "docker-entrypoint.sh").read_text()
    assert "migrate" in entry


@pytest.mark.django_db
def test_anonymous_guardian_user_is_off():
    from django.conf import settings

    assert settings.ANONYMOUS_USER_NAME is None
    from community.accounts.models import User

    assert not User.objects.filter(username="AnonymousUser").exists()


def test_csp_has_no_unsafe_inline_scripts(client, db):
    header = client.get("/circles/")["Content-Security-Policy"]
    script_src = [d for d in header.split(";") if d.strip().startswith("script-src")][0]
    assert "unsafe-inline" not in script_src and "'self'" in script_src


@pytest.mark.django_db
def test_password_change_logs_out_other_sessions(client, member, password):
    from django.test import Client

    other = Client()
    other.force_login(member)
    client.force_login(member)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "another-long-pass-42",
            "new_password2": "another-long-pass-42",
        },
    )
    assert response.status_code == 302
    assert client.get("/circles/new/").status_code == 200
    assert other.get("/circles/new/").status_code == 302


def test_an_oversized_request_body_is_refused_in_words(client):
    response = client.post(
        "/accounts/login/",
        data="x=" + "a" * (300 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_healthz_names_redis_when_it_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["channel_layer"] != "ok"
