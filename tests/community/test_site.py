import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from django.views.defaults import server_error

from circles.memberships.services import DEFAULT_GUIDELINES
from community.templatetags.when import when

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_db_and_channel_layer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    # No worker or scheduler runs in tests: they are down, and the site still answers.
    assert response.json() == {
        "db": "ok",
        "channel_layer": "ok",
        "worker": "down",
        "scheduler": "down",
    }


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
    assert response.json() == {
        "db": "ok",
        "channel_layer": "down",
        "worker": "down",
        "scheduler": "down",
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "circles.example.org",
        "EMAIL_URL": "smtp://mail.example.org:587/?tls=True",
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


# --- home, privacy, error pages, local mode (issue 15) ---------------------------


def test_home_page_says_what_this_place_is_and_is_not(client, db):
    response = client.get("/")
    assert response.status_code == 200  # no longer a redirect to the directory
    page = response.content.decode()
    for words in (
        "people who have lived through trauma",
        "How circles work",
        "How asks work",
        "not therapy or an emergency service",
        "contact your local emergency services",
        'id="guidelines"',
        'href="/privacy/"',
        'href="/circles/"',
    ):
        assert words in page, words
    for line in DEFAULT_GUIDELINES.splitlines():
        assert line in page.replace("&#x27;", "'")
    assert client.get("/circles/").status_code == 200  # the directory stays


def test_privacy_page_says_what_is_stored_and_that_emails_are_never_shown(client, db):
    page = client.get("/privacy/").content.decode()
    for words in ("What is stored", "Who sees what", "email address is never shown"):
        assert words in page, words


def test_every_page_links_the_guidelines_and_privacy(client, db):
    page = client.get("/circles/").content.decode()
    assert 'href="/#guidelines"' in page and 'href="/privacy/"' in page


def test_the_account_things_sit_in_one_menu(client, member):
    client.force_login(member)
    page = client.get("/circles/").content.decode()
    menu = page.split('<details class="account-menu">', 1)[1].split("</details>", 1)[0]
    for link in ('href="/accounts/password/"', 'href="/notifications/"', "Log out"):
        assert link in menu, link
    assert "Mira Member" in menu


def test_a_server_error_shows_the_products_own_page(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and "Traceback" not in page


def test_when_prints_one_time_element_in_utc_with_a_fallback():
    html = str(when(datetime(2026, 11, 29, 2, 26, 5, tzinfo=UTC)))
    assert html == (
        '<time datetime="2026-11-29T02:26:05Z" data-when="auto" '
        'title="29 Nov 2026, 02:26 UTC">29 Nov 2026, 02:26 UTC</time>'
    )
    assert 'data-when="exact"' in str(when(datetime(2026, 1, 2, tzinfo=UTC), "exact"))
    assert when(None) == ""


def _local_mode(tmp_path, code: str, **env) -> subprocess.CompletedProcess:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DEBUG"}
        and not k.startswith("SECURE_")
    }
    environ.update(
        LOCAL_MODE="1", TESTING="0", VAR_DIR=str(tmp_path), STATIC_ROOT=str(tmp_path)
    )
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )


LOCAL_SETTINGS = (
    "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT,"
    " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
    " s.SECRET_KEY)"
)


def test_make_run_local_mode_is_plain_http_without_debug_and_keeps_its_key(tmp_path):
    first = _local_mode(tmp_path, LOCAL_SETTINGS)
    assert first.returncode == 0, first.stderr
    debug, redirect, session, csrf, hsts, key = first.stdout.splitlines()[-1].split()
    assert (debug, redirect, session, csrf, hsts) == (
        "False",
        "False",
        "False",
        "False",
        "0",
    )
    assert len(key) >= 50 and (tmp_path / "secret_key").read_text().strip() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    again = _local_mode(tmp_path, LOCAL_SETTINGS)
    assert again.stdout.split()[-1] == key  # made once, kept
    debug_on = _local_mode(tmp_path, LOCAL_SETTINGS, DEBUG="1")
    assert debug_on.stdout.splitlines()[-1].split()[0] == "True"


def test_make_run_uses_local_mode_with_debug_off_by_default():
    plan = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    serve = [line for line in plan.splitlines() if "honcho start" in line][0]
    assert "LOCAL_MODE=1" in serve and "DEBUG=${DEBUG-0}" in serve
    assert "HOST=127.0.0.1" in serve and "-f Procfile" in serve


def test_every_template_prints_a_moment_through_one_filter():
    """`|when` (a <time> that static/js/time.js writes in the reader's zone): no
    hand-made <time>, no UTC clock text, no "0 minutes ago" from `timesince ... ago`."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<time\b|\|date:|\|time:|\|timesince[^}]*}}\s*ago", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
