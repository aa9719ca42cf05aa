"""The stack's processes as compose runs them: web (daphne), worker and scheduler
(`celery -A community worker|beat`), against SQLite and the file transport on a
laptop and against PostgreSQL and Redis under CI=true. The worker is stopped:
/healthz says `late` while a task waits, then `down`; started again, it sends the
waiting email once (issue 27, "Done when"; INTERFACE.md Third round: Operations).

The heartbeat interval and the limits are shortened through their settings; the
mechanism is the real one (the worker's consumer bootstep, the scheduler class and
the published_at header read from the broker's queue)."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.utils import timezone
from kombu import Connection

from community.celery import app as celery_app
from community.outbox import tasks as outbox_tasks
from community.outbox.models import OutboundEmail
from tests.conftest import IN_CI
from tests.live_server import ROOT, LiveDaphne, _database_url

pytestmark = pytest.mark.django_db(transaction=True)

HEARTBEAT = 1
QUEUE_LATE = 2
# Long enough that a warm shutdown (which stops the heartbeat first) still leaves
# a moment in which the waiting task is late before the worker counts as down.
WORKER_DOWN = 12
DEADLINE = 40.0


@pytest.fixture
def stack_env(request, tmp_path):
    """The environment all three processes share (compose's x-app-env)."""
    queue = f"stack-{uuid.uuid4().hex[:8]}"
    env = {
        "DATABASE_URL": _database_url(),
        "VAR_DIR": str(tmp_path / "var"),
        "TASKS_EAGER": "0",
        "TASK_QUEUE": queue,
        "EMAIL_URL": f"file://{tmp_path / 'mail'}",
        "HEALTH_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "HEALTH_QUEUE_LATE_SECONDS": str(QUEUE_LATE),
        "HEALTH_WORKER_DOWN_SECONDS": str(WORKER_DOWN),
        "WORKER_CONCURRENCY": "1",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    if IN_CI:
        request.getfixturevalue("postgres")
        redis_url = request.getfixturevalue("redis_url")
        env.update(
            REDIS_URL=redis_url,
            CELERY_BROKER_URL=redis_url,
            CHANNEL_LAYER_PREFIX=queue,
        )
        transport_options = {}
    else:
        queue_dir = tmp_path / "var" / "queue"
        queue_dir.mkdir(parents=True)
        env["CELERY_BROKER_URL"] = "filesystem://"
        transport_options = {
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "control_folder": str(queue_dir / "control"),
            "store_processed": False,
        }
    return env, queue, transport_options


class Celery:
    """`celery -A community <what>` as compose's worker or scheduler runs it."""

    def __init__(self, what: str, env: dict, name: str):
        self.what = what
        self.log = ROOT / "test-artifacts" / f"{name}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.env = {
            k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        }
        self.env.update(env, TESTING="1")
        self.proc = None

    def start(self) -> "Celery":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "community", self.what]
            + ["--loglevel", "info"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            # As `docker compose stop` does: SIGTERM to the main process only.
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def health(web: LiveDaphne) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(web.url + "/healthz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_for(check, what: str, logs, timeout: float = DEADLINE):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.25)
    tails = "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in logs)
    raise AssertionError(f"{what}\n{tails}")


def test_a_stopped_worker_is_reported_and_its_waiting_email_sent_once_on_return(
    stack_env, member, tmp_path
):
    env, queue, transport_options = stack_env
    web = LiveDaphne(**env)
    worker = Celery("worker", env, f"stack-worker-{queue}")
    scheduler = Celery("beat", env, f"stack-scheduler-{queue}")
    logs = [web.log, worker.log, scheduler.log]
    try:
        web.start(timeout=30)
        worker.start()
        scheduler.start()

        # All up: the worker's and the scheduler's heartbeats reach /healthz.
        def all_ok():
            status, body = health(web)
            return status == 200 and set(body.values()) == {"ok"} and body

        assert wait_for(all_ok, "the stack never became healthy", logs) == {
            "db": "ok",
            "channel_layer": "ok",
            "worker": "ok",
            "scheduler": "ok",
        }

        stopped_at = time.monotonic()
        worker.stop()
        shutdown = time.monotonic() - stopped_at
        # An email decided while no worker runs: stored, and its task waits.
        member.email = "mira@example.org"
        member.email_verified_at = timezone.now()
        member.save(update_fields=["email", "email_verified_at"])
        email = OutboundEmail.objects.create(
            key=f"stack-test:{uuid.uuid4()}",
            purpose="notification",
            user=member,
            to_address=member.email,
            subject="Someone replied to your ask",
            body="Open it on the site.",
            send_after=timezone.now(),
        )
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = False
        try:
            with Connection(
                env["CELERY_BROKER_URL"], transport_options=transport_options
            ) as connection:
                outbox_tasks.email_send.apply_async(
                    [email.pk], queue=queue, connection=connection
                )
        finally:
            celery_app.conf.task_always_eager = eager

        seen = []

        def worker_down():
            status, body = health(web)
            assert status == 200, body  # background work never makes the site 503
            if not seen or seen[-1] != body["worker"]:
                seen.append(body["worker"])
            return body["worker"] == "down"

        wait_for(worker_down, "/healthz never said the worker is down", logs)
        reported_after = time.monotonic() - stopped_at
        # Late first (the task waited past its limit while the last heartbeat was
        # still fresh), then down.
        assert seen in (["ok", "late", "down"], ["late", "down"]), (seen, shutdown)
        assert reported_after <= WORKER_DOWN + 2 * HEARTBEAT + 5
        email.refresh_from_db()
        assert email.sent_at is None

        worker.start()

        def sent():
            email.refresh_from_db()
            return email.sent_at is not None

        wait_for(sent, "the waiting email was not sent", logs)
        wait_for(lambda: health(web)[1]["worker"] == "ok", "worker not ok", logs)
        time.sleep(2 * HEARTBEAT)  # nothing left to send it a second time
    finally:
        worker.stop()
        scheduler.stop()
        web.stop()
    mail = list((tmp_path / "mail").iterdir())
    assert len(mail) == 1
    assert "Someone replied to your ask" in mail[0].read_text()
    email.refresh_from_db()
    assert email.attempts == 1
