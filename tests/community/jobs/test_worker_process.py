"""The real worker process (`celery worker`) against real PostgreSQL and Redis: a task
enqueued by this process runs there; a worker killed mid-task (SIGKILL) loses
nothing: the task is delivered again and its email is sent once."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_results.models import TaskResult

from community.celery import app as celery_app
from community.outbox import tasks as outbox_tasks
from community.outbox.models import OutboundEmail
from tests.live_server import ROOT, _database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.redis,
    pytest.mark.postgres,
]
DEADLINE = 60.0


@pytest.fixture
def queue(redis_url, postgres):
    """A queue of our own on the real broker; this process enqueues for real."""
    name = f"jobs-test-{uuid.uuid4().hex[:8]}"
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write(redis_url) as connection:
        yield name, connection
    celery_app.conf.task_always_eager = saved


class Worker:
    def __init__(self, queue: str, redis_url: str, tmp: Path, **env):
        self.log = ROOT / "test-artifacts" / f"worker-{queue}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.env = {
            k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        }
        self.env.update(
            DATABASE_URL=_database_url(),
            CELERY_BROKER_URL=redis_url,
            TASK_VISIBILITY_TIMEOUT="3",
            TASK_RESTORE_INTERVAL="1",
            TASKS_EAGER="0",
            TESTING="1",
            SECRET_KEY=settings.SECRET_KEY,
            EMAIL_URL=f"file://{tmp / 'mail'}",
            MAIL_MARKERS=str(tmp),
            LOG_LEVEL="WARNING",
        )
        self.env.update(env)
        self.queue = queue
        self.proc = None

    def start(self) -> "Worker":
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "community",
                "worker",
                "--pool",
                "solo",
                "--queues",
                self.queue,
                "--loglevel",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed whole below
        )
        return self

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(check, what: str, worker: Worker, timeout: float = DEADLINE):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if worker.proc.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"{what}; worker log:\n{worker.log.read_text()[-3000:]}")


def stored_email(member) -> OutboundEmail:
    member.email = "mira@example.org"
    member.email_verified_at = timezone.now()
    member.save(update_fields=["email", "email_verified_at"])
    return OutboundEmail.objects.create(
        key=f"worker-test:{uuid.uuid4()}",
        purpose="notification",
        user=member,
        to_address=member.email,
        subject="Someone replied to your ask",
        body="Open it on the site.",
        send_after=timezone.now(),
    )


def sent(email) -> bool:
    email.refresh_from_db()
    return email.sent_at is not None


def test_the_real_worker_runs_an_enqueued_task(queue, redis_url, member, tmp_path):
    name, connection = queue
    email = stored_email(member)
    worker = Worker(name, redis_url, tmp_path).start()
    try:
        outbox_tasks.email_send.apply_async(
            [email.pk], queue=name, connection=connection
        )
        wait_until(lambda: sent(email), "the email was not sent", worker)
    finally:
        worker.stop()
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1
    assert "Someone replied to your ask" in files[0].read_text()


def test_a_worker_killed_mid_task_loses_nothing_and_sends_once(
    queue, redis_url, member, tmp_path
):
    name, connection = queue
    email = stored_email(member)
    hanging = "tests.community.jobs.slow_backend.FirstSendHangs"
    first = Worker(name, redis_url, tmp_path, EMAIL_BACKEND=hanging).start()
    try:
        outbox_tasks.email_send.apply_async(
            [email.pk], queue=name, connection=connection
        )
        wait_until(
            lambda: (tmp_path / "started").exists(), "the task never started", first
        )
        first.kill()  # SIGKILL mid-task: no goodbye, no acknowledgement
    finally:
        first.stop()
    assert not sent(email)
    assert not (tmp_path / "mail").exists() or not any((tmp_path / "mail").iterdir())

    killed_at = time.monotonic()
    second = Worker(name, redis_url, tmp_path, EMAIL_BACKEND=hanging).start()
    try:
        wait_until(lambda: sent(email), "the task did not run again", second)
        redelivered_after = time.monotonic() - killed_at
        time.sleep(4)  # past another visibility timeout: no second delivery
    finally:
        second.stop()
    assert len(list((tmp_path / "mail").iterdir())) == 1
    email.refresh_from_db()
    assert email.attempts == 1
    print(f"redelivered {redelivered_after:.1f} s after the kill")


def test_a_failing_task_is_retried_and_shown_to_staff(
    queue, redis_url, member, staff, tmp_path, client
):
    name, connection = queue
    email = stored_email(member)
    # Nothing listens on port 9: every send fails.
    worker = Worker(name, redis_url, tmp_path, EMAIL_URL="smtp://127.0.0.1:9").start()
    try:
        outbox_tasks.email_send.apply_async(
            [email.pk], queue=name, connection=connection
        )

        def recorded():
            email.refresh_from_db()
            return email.attempts >= 2 and TaskResult.objects.exists()

        wait_until(recorded, "the failure was not retried and recorded", worker)
    finally:
        worker.stop()
    assert not sent(email) and "refused" in email.last_error.lower()
    result = TaskResult.objects.get()
    assert result.task_name == "jobs.email_send"
    assert result.status in {"RETRY", "FAILURE"}
    client.force_login(staff)
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    page = client.get("/admin/django_celery_results/taskresult/")
    assert page.status_code == 200 and b"jobs.email_send" in page.content
