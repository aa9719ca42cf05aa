"""The Celery application: `celery -A community worker` and `celery -A community beat`
(see Procfile). Its settings are the `CELERY_*` names in community/settings.py.

Both processes say they are alive (docs/operating.md: Health): the worker through a
consumer bootstep that writes its heartbeat every HEALTH_HEARTBEAT_SECONDS while it
consumes, the scheduler through HeartbeatScheduler, which writes one as it ticks.
Every task message carries the time it was published, so the age of the oldest
waiting task can be read from the queue."""

import logging
import os
import time

import django
from celery import Celery, bootsteps
from celery.beat import PersistentScheduler
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.apps import apps
from django.conf import settings
from django.db import close_old_connections

from community.observability import task_request_id, task_request_id_clear
from community.task_options import PUBLISHED_AT_HEADER, worker_heartbeat_name

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")

app = Celery("community")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["community.jobs"])

logger = logging.getLogger("community.heartbeat")


@task_prerun.connect
def _task_request_id(task_id=None, **kwargs):
    task_request_id(task_id=task_id)


@task_postrun.connect
def _task_request_id_clear(**kwargs):
    task_request_id_clear()


@before_task_publish.connect
def _stamp_published_at(headers=None, **kwargs):
    if headers is not None:
        headers.setdefault(PUBLISHED_AT_HEADER, time.time())


def _beat(kind: str, name: str) -> None:
    """One heartbeat; a database outage is logged, never raised into Celery."""
    if not apps.ready:
        django.setup()
    # Not at the top: this module loads with the `community` package, before the
    # app registry is ready; the heartbeat model needs it.
    from community.jobs.health import heartbeat_record

    try:
        close_old_connections()
        heartbeat_record(kind=kind, name=name)
    except Exception as error:
        logger.warning("The %s heartbeat could not be written: %s", kind, error)


def _interval() -> float:
    return float(settings.HEALTH_HEARTBEAT_SECONDS)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Writes `worker:<node name>` on the consumer's own timer: it stops when the
    consumer stops, so a worker that no longer takes tasks stops beating."""

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.timer_ref = None

    def start(self, consumer):
        name = worker_heartbeat_name(consumer.hostname)

        def beat():
            _beat("worker", name)

        beat()
        self.timer_ref = consumer.timer.call_repeatedly(_interval(), beat)

    def stop(self, consumer):
        if self.timer_ref is not None:
            self.timer_ref.cancel()
            self.timer_ref = None

    shutdown = stop


app.steps["consumer"].add(WorkerHeartbeat)


class HeartbeatScheduler(PersistentScheduler):
    """Celery beat's scheduler, also writing the `scheduler` heartbeat: at most
    every HEALTH_HEARTBEAT_SECONDS, and it never sleeps longer than that."""

    _last_beat = 0.0

    def tick(self, *args, **kwargs):
        interval = _interval()
        if time.monotonic() - self._last_beat >= interval:
            _beat("scheduler", "scheduler")
            self._last_beat = time.monotonic()
        return min(super().tick(*args, **kwargs), interval)
