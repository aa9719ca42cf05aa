from django.conf import settings
from django.db import models

from circles.models import Circle


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class ModerationAction(models.Model):
    """One line of a circle's audit log: who did what, to whom, when and why.
    Append-only: rows are never changed or deleted."""

    class Action(models.TextChoices):
        MUTE = "mute", "Muted"
        UNMUTE = "unmute", "Unmuted"
        BAN = "ban", "Banned"
        UNBAN = "unban", "Lifted a ban"
        REMOVE = "remove", "Removed content"
        RESTORE = "restore", "Restored content"
        DISMISS = "dismiss", "Dismissed flags"
        WARN = "warn", "Warned"
        LOCK = "lock", "Locked a thread"
        UNLOCK = "unlock", "Unlocked a thread"
        APPROVE_HELD = "approve_held", "Approved held content"
        SLOW_MODE = "slow_mode", "Changed slow mode"
        AUTO_HIDE = "auto_hide", "Hidden by flags"

    circle = models.ForeignKey(
        Circle, on_delete=models.PROTECT, related_name="audit_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_kind = models.CharField(max_length=10, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} in {self.circle_id} at {self.created_at}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
