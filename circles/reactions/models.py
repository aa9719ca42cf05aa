"""Reactions: a small fixed set made for peer support, one of each per person per
post or chat message."""

from django.conf import settings
from django.db import models

from circles.models import ChatMessage, Post


class Reaction(models.Model):
    class Kind(models.TextChoices):
        HEAR_YOU = "hear_you", "I hear you"
        STRENGTH = "strength", "Sending strength"
        ME_TOO = "me_too", "Me too"
        THANKS = "thanks", "Thank you"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        ChatMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reaction = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, message__isnull=True)
                | models.Q(post__isnull=True, message__isnull=False),
                name="reaction_on_one_item",
            ),
            models.UniqueConstraint(
                fields=["user", "post", "reaction"],
                condition=models.Q(post__isnull=False),
                name="reaction_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["user", "message", "reaction"],
                condition=models.Q(message__isnull=False),
                name="reaction_once_per_message",
            ),
        ]

    def __str__(self):
        return f"{self.reaction} by {self.user_id}"
