"""Saved items: a thread, post or chat message a person keeps for themself."""

from django.conf import settings
from django.db import models

from circles.models import ChatMessage, Post, Thread


class SavedItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        ChatMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    thread__isnull=False, post__isnull=True, message__isnull=True
                )
                | models.Q(
                    thread__isnull=True, post__isnull=False, message__isnull=True
                )
                | models.Q(
                    thread__isnull=True, post__isnull=True, message__isnull=False
                ),
                name="saved_one_item",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=models.Q(thread__isnull=False),
                name="saved_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "post"],
                condition=models.Q(post__isnull=False),
                name="saved_post_once",
            ),
            models.UniqueConstraint(
                fields=["user", "message"],
                condition=models.Q(message__isnull=False),
                name="saved_message_once",
            ),
        ]

    def __str__(self):
        return f"{self.kind} saved by {self.user_id}"

    @property
    def kind(self) -> str:
        return "thread" if self.thread_id else "post" if self.post_id else "message"

    @property
    def item_id(self) -> int:
        return self.thread_id or self.post_id or self.message_id

    @property
    def item(self):
        return self.thread or self.post or self.message
