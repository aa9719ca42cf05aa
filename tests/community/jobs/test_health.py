"""The states /healthz gives the worker and the scheduler (INTERFACE.md Third round:
Operations), from heartbeats and the age of the oldest waiting task."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from kombu import Connection

from community.celery import app as celery_app
from community.jobs import health
from community.jobs.models import Heartbeat
from community.outbox import tasks as outbox_tasks

pytestmark = pytest.mark.django_db


def beat(kind, name, seconds_ago, now):
    health.heartbeat_record(
        kind=kind, name=name, now=now - timedelta(seconds=seconds_ago)
    )


def test_a_worker_never_seen_is_down_and_a_fresh_one_ok():
    now = timezone.now()
    assert health.worker_state(now=now) == "down"
    beat(Heartbeat.Kind.WORKER, "worker:celery@a", 10, now)
    assert health.worker_state(now=now) == "ok"


def test_a_worker_is_down_after_120_seconds_without_a_heartbeat():
    now = timezone.now()
    beat(Heartbeat.Kind.WORKER, "worker:celery@a", 119, now)
    assert health.worker_state(now=now) == "ok"
    beat(Heartbeat.Kind.WORKER, "worker:celery@a", 121, now)
    assert health.worker_state(now=now) == "down"
    # Another worker still beating keeps background work up.
    beat(Heartbeat.Kind.WORKER, "worker:celery@b", 5, now)
    assert health.worker_state(now=now) == "ok"


def test_a_worker_is_late_when_the_oldest_task_waited_over_60_seconds():
    now = timezone.now()
    beat(Heartbeat.Kind.WORKER, "worker:celery@a", 5, now)
    assert health.worker_state(now=now, oldest_wait=59) == "ok"
    assert health.worker_state(now=now, oldest_wait=61) == "late"
    beat(Heartbeat.Kind.WORKER, "worker:celery@a", 130, now)
    assert health.worker_state(now=now, oldest_wait=61) == "down"


@pytest.mark.parametrize(
    ("seconds_ago", "state"),
    [
        (None, "down"),
        (30, "ok"),
        (179, "ok"),
        (181, "late"),
        (599, "late"),
        (601, "down"),
    ],
)
def test_the_scheduler_states(seconds_ago, state):
    now = timezone.now()
    if seconds_ago is not None:
        beat(Heartbeat.Kind.SCHEDULER, "scheduler", seconds_ago, now)
    assert health.scheduler_state(now=now) == state


def test_a_heartbeat_is_one_row_per_process():
    health.heartbeat_record(kind="worker", name="worker:celery@a")
    health.heartbeat_record(kind="worker", name="worker:celery@a")
    assert Heartbeat.objects.count() == 1


@pytest.fixture
def file_queue(tmp_path, settings):
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
    settings.CELERY_TASK_DEFAULT_QUEUE = "health-test"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield folder, options
    celery_app.conf.task_always_eager = eager


def test_the_oldest_waiting_task_is_read_from_the_queue_without_running_it(
    file_queue,
):
    folder, options = file_queue
    assert health.queue_state() == (0, None)
    with time_machine.travel(timezone.now() - timedelta(seconds=90), tick=False):
        with Connection("filesystem://", transport_options=options) as connection:
            outbox_tasks.email_send.apply_async(
                [1], queue="health-test", connection=connection
            )
    with Connection("filesystem://", transport_options=options) as connection:
        outbox_tasks.email_send.apply_async(
            [2], queue="health-test", connection=connection
        )
    (message,) = sorted(folder.glob("*.health-test.msg"))[:1]
    assert json.loads(message.read_bytes())["headers"][health.PUBLISHED_AT_HEADER]
    depth, oldest = health.queue_state()
    assert depth == 2
    assert 85 < oldest < 120


def test_two_tasks_sent_within_a_millisecond_are_told_apart_by_their_stamps(
    file_queue,
):
    """The file transport names a message by the millisecond and a random id: when
    two share the millisecond, the newer may sort first; the oldest is still read."""
    folder, _ = file_queue
    now = time.time()
    for name, published in (("1000_a", now - 1), ("1000_b", now - 100)):
        body = {"headers": {health.PUBLISHED_AT_HEADER: published}}
        (folder / f"{name}.health-test.msg").write_text(json.dumps(body))
    depth, oldest = health.queue_state()
    assert depth == 2
    assert 99 < oldest < 120


def test_healthz_answers_200_with_background_work_down(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"] == "down"
    assert response.json()["scheduler"] == "down"
    health.heartbeat_record(kind="worker", name="worker:celery@a")
    health.heartbeat_record(kind="scheduler", name="scheduler")
    assert client.get("/healthz").json() == {
        "db": "ok",
        "channel_layer": "ok",
        "worker": "ok",
        "scheduler": "ok",
    }


def test_the_admin_status_page_shows_what_waits(client, staff, member, circle):
    from community.outbox.models import OutboundEmail
    from moderation.models import SafetyCase

    now = timezone.now()
    health.heartbeat_record(
        kind="scheduler", name="scheduler", now=now - timedelta(minutes=4)
    )
    OutboundEmail.objects.create(
        key="status-test",
        purpose="notification",
        to_address="mira@example.org",
        subject="Hello",
        body="Body",
        send_after=now - timedelta(minutes=30),
    )
    for person, escalated in ((member, None), (staff, now)):
        SafetyCase.objects.create(
            circle=circle,
            person=person,
            level="concern",
            levels="concern",
            opened_at=now,
            escalated_at=escalated,
        )
    client.force_login(staff)
    with time_machine.travel(now, tick=False):
        page = client.get("/admin/status/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<td>late</td>" in text  # the scheduler, 4 minutes ago
    assert "last run 240 seconds before this page" in text
    assert "<td>1800 seconds</td>" in text
    assert "<td>2</td>" in text and "1 of them escalated to staff" in text
    assert "mira@example.org" not in text


def test_the_admin_status_page_is_for_staff_only(client, member):
    client.force_login(member)
    page = client.get("/admin/status/")
    assert page.status_code == 302 and "/login/" in page["Location"]
