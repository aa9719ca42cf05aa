from django.conf import settings
from django.db import models


class Notification(models.Model):
    """Something a person should know: a reply, a flag's outcome, a nudge."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply"
        FLAG_OUTCOME = "flag_outcome", "Flag outcome"
        WARNING = "warning", "Warning from moderators"
        ASK_WAITING = "ask_waiting", "An ask is waiting"
        SUPPORT_ALERT = "support_alert", "A member is not OK"
        SELF_HARM = "self_harm", "Possible self-harm"
        MEMBERSHIP = "membership", "Membership"
        MENTION = "mention", "Mention"
        MESSAGE = "message", "Private message or check-in"
        SAFETY = "safety", "Safety report"
        SAFETY_ESCALATED = "safety_escalated", "Safety report waiting too long"
        MODERATION = "moderation", "A moderator's notice to you"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    circle = models.ForeignKey(
        "circles.Circle",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the person's daily digest email.
    digest_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["recipient"],
                condition=models.Q(digest_pending=True),
                name="notification_digest_pending",
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"
