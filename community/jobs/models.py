from django.db import models


class Heartbeat(models.Model):
    """The last sign of life of one background process: each worker (by its Celery
    node name) and the scheduler write theirs every HEALTH_HEARTBEAT_SECONDS;
    /healthz and the admin status page read them (docs/operating.md: Health)."""

    class Kind(models.TextChoices):
        WORKER = "worker", "Worker"
        SCHEDULER = "scheduler", "Scheduler"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "seen_at"])]

    def __str__(self):
        return self.name
