from django.conf import settings
from django.db import models


class OutboundEmail(models.Model):
    """One email to send: written in the transaction that decided to send it, sent
    by the worker. `key` is unique, so deciding twice (a retry, a second scheduler)
    stores it once; `sent_at` is set in the same transaction that sent it."""

    class Purpose(models.TextChoices):
        NOTIFICATION = "notification", "Notification"
        DIGEST = "digest", "Daily digest"
        VERIFY = "verify", "Address verification"
        PASSWORD_RESET = "password_reset", "Password reset"
        SAFETY = "safety", "Safety escalation"

    key = models.CharField(max_length=200, unique=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_address = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    send_after = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sent_at", "cancelled_at", "send_after"])]

    def __str__(self):
        return f"{self.purpose} email {self.pk}"
