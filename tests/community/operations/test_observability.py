"""Errors and signals (issue 27): Sentry reports without anyone's words or address,
one log format with a request id, repeated errors once a minute with a count, and
/metrics for staff or allowed addresses, without per-circle labels."""

import gzip
import json
import logging
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from community import observability
from tests.live_server import ROOT

SECRET_WORDS = "I feel lost tonight"
ADDRESS = "mira@example.org"

FORCED_ERROR = f"""
import django, sentry_sdk
django.setup()
from django.test import Client
from django.urls import clear_url_caches, path
import community.urls

def boom(request):
    raise ValueError("Mira wrote: {SECRET_WORDS}; write to {ADDRESS}")

community.urls.urlpatterns.append(path("forced-error/", boom))
clear_url_caches()
response = Client(raise_request_exception=False).get(
    "/forced-error/?note={ADDRESS}", HTTP_COOKIE="sessionid=abc"
)
assert response.status_code == 500, response.status_code
sentry_sdk.flush(10)
"""


@pytest.fixture
def sentry_stub():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append((self.path, body))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/42", received
    server.shutdown()


def events(received) -> list[dict]:
    found = []
    for path, body in received:
        assert path == "/api/42/envelope/"
        lines = body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_a_forced_error_reaches_sentry_once_without_words_or_addresses(
    sentry_stub, tmp_path
):
    dsn, received = sentry_stub
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "SENTRY_DSN": dsn,
        "SECRET_KEY": "a-secret-key-for-the-sentry-test-0123456789-abcdefghij",
        "EMAIL_URL": "console:",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "CRITICAL",
        "TESTING": "1",  # plain static storage: no collectstatic needed
    }
    done = subprocess.run(
        [sys.executable, "-c", FORCED_ERROR],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (event,) = events(received)
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    raw = b"".join(body for _path, body in received)
    assert SECRET_WORDS.encode() not in raw
    assert b"Mira wrote" not in raw
    assert ADDRESS.encode() not in raw
    assert b"sessionid" not in raw
    for frame in event["exception"]["values"][-1]["stacktrace"]["frames"]:
        assert "vars" not in frame


def test_scrub_takes_out_log_arguments_request_bodies_and_addresses():
    event = {
        "logentry": {"message": "Sending to %s failed", "params": [ADDRESS]},
        "request": {"data": SECRET_WORDS, "url": "https://x.org/a?token=1"},
        "user": {"id": 7, "email": ADDRESS},
        "extra": {"celery-job": {"args": [SECRET_WORDS]}},
        "breadcrumbs": {"values": [{"message": f"{ADDRESS} {SECRET_WORDS}"}]},
        "tags": {"note": f"from {ADDRESS}"},
    }
    scrubbed = json.dumps(observability.scrub(event))
    assert ADDRESS not in scrubbed and SECRET_WORDS not in scrubbed
    assert "token" not in scrubbed
    assert '"message": "Sending to %s failed"' in scrubbed
    assert '"user": {"id": 7}' in scrubbed


def record(msg="Redis is unreachable: %s", args=("refused",), level=logging.ERROR):
    return logging.LogRecord("channels_redis", level, __file__, 1, msg, args, None)


def test_the_text_line_has_time_level_logger_and_request_id():
    config = observability.logging_config(level="INFO", fmt="text")
    formatter = observability.UtcFormatter(config["formatters"]["default"]["format"])
    token = observability.request_id_var.set("abc123def456")
    try:
        line = record()
        observability.RequestIdFilter().filter(line)
    finally:
        observability.request_id_var.reset(token)
    text = formatter.format(line)
    assert text.endswith(
        " ERROR channels_redis [abc123def456] Redis is unreachable: refused"
    )
    assert text[:4].isdigit() and "Z " in text


def test_log_format_json_writes_one_json_object_per_line():
    line = record()
    observability.RequestIdFilter().filter(line)
    entry = json.loads(observability.JsonFormatter().format(line))
    assert entry["level"] == "ERROR" and entry["logger"] == "channels_redis"
    assert entry["request_id"] == "-"
    assert entry["message"] == "Redis is unreachable: refused"
    assert entry["time"].endswith("Z")


def test_a_repeated_error_is_written_once_a_minute_with_a_count(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(observability.time, "monotonic", lambda: clock[0])
    throttle = observability.RepeatThrottle()
    written = [throttle.filter(record(args=(n,))) for n in range(45)]
    assert written.count(True) == 1
    assert throttle.filter(record(msg="Another problem")) is True
    assert throttle.filter(record(level=logging.INFO)) is True  # info is never held
    clock[0] += 61
    later = record()
    assert throttle.filter(later) is True
    assert later.getMessage() == (
        "Redis is unreachable: refused (repeated 44 more times in the last minute)"
    )


@pytest.mark.django_db
def test_each_response_carries_its_request_id_and_is_logged_once(client, caplog):
    caplog.handler.addFilter(observability.RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="community.access"):
        response = client.get(
            "/privacy/?email=mira@example.org", HTTP_X_REQUEST_ID="from-the-proxy-0001"
        )
    assert response["X-Request-ID"] == "from-the-proxy-0001"
    (line,) = [r for r in caplog.records if r.name == "community.access"]
    assert line.getMessage().startswith("GET /privacy/ 200 ")
    assert line.request_id == "from-the-proxy-0001"
    assert "mira@example.org" not in line.getMessage()
    made = client.get("/privacy/", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]
    assert len(made) == 16 and made != "bad id\n"


@pytest.mark.django_db
def test_metrics_are_for_staff_and_allowed_addresses_only(
    client, staff, member, settings
):
    assert client.get("/metrics").status_code == 404
    client.force_login(member)
    assert client.get("/metrics").status_code == 404
    client.force_login(staff)
    page = client.get("/metrics")
    assert page.status_code == 200
    text = page.content.decode()
    for name in (
        "circles_http_requests_total",
        "circles_websockets_open",
        "circles_chat_messages_last_hour",
        "circles_queue_depth",
        "circles_oldest_unsent_email_seconds",
        "circles_safety_open",
    ):
        assert f"\n{name}" in text or text.startswith(name), name
    assert "circle=" not in text and "slug" not in text
    client.logout()
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.1").status_code == 404


def test_logged_paths_lose_query_strings_and_tokens():
    line = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/accounts/verify/MTI:1vABCd:xYz0123456789abcdefGHIJ/?next=/x&email=a@b.org",),
        None,
    )
    observability.RedactFilter().filter(line)
    assert line.getMessage() == "Not Found: /accounts/verify/[token]/"
    kept = record(msg="GET /circles/morning-light/threads/12/", args=())
    observability.RedactFilter().filter(kept)
    assert kept.getMessage() == "GET /circles/morning-light/threads/12/"


@pytest.mark.django_db
def test_metrics_count_the_crisis_nets_raises_and_misreads(client, staff, circle):
    """Issue 24: a misread is counted in the false-alarm figure /metrics reports."""
    from django.utils import timezone

    from moderation.models import SafetyCase, SafetyItem
    from tests.factories import UserFactory

    person = UserFactory()
    case = SafetyCase.objects.create(
        circle=circle,
        person=person,
        level="concern",
        levels="concern",
        opened_at=timezone.now(),
    )
    for misread in (True, False, False):
        SafetyItem.objects.create(
            circle=circle,
            case=case,
            person=person,
            kind="message",
            object_id=1,
            level="concern",
            source="words",
            misread_at=case.opened_at if misread else None,
        )
    client.force_login(staff)
    lines = client.get("/metrics").content.decode().splitlines()
    assert "circles_crisis_raised_last_7d 3.0" in lines
    assert "circles_crisis_misread_last_7d 1.0" in lines
