from datetime import timedelta

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
        WATCHED_WORD = "watched_word", "Changed watched words"
        CARE = "care", "Moved words out of view with care"
        STEP_DOWN = "step_down", "Stepped down to member"

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


class Flag(models.Model):
    """A member's (or screening's) report that an item needs a moderator's eyes."""

    class Kind(models.TextChoices):
        THREAD = "thread", "Thread"
        POST = "post", "Post"
        MESSAGE = "message", "Chat message"

    class Reason(models.TextChoices):
        HARMFUL = "harmful", "Harmful"
        HARASSMENT = "harassment", "Harassment"
        INVALIDATING = "invalidating", "Invalidating: dismisses someone's experience"
        UNSOLICITED_ADVICE = (
            "unsolicited_advice",
            "Unsolicited advice on a listen-only ask",
        )
        NEEDS_CONTENT_WARNING = "needs_content_warning", "Needs a content warning"
        SPAM = "spam", "Spam"
        SELF_HARM = "self_harm", "Someone may be at risk of harming themself"
        OTHER = "other", "Something else"

    class Resolution(models.TextChoices):
        REMOVED = "removed", "Removed"
        RESTORED = "restored", "Restored"
        DISMISSED = "dismissed", "Dismissed"
        APPROVED = "approved", "Approved"

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags_made",
    )
    reason = models.CharField(max_length=24, choices=Reason.choices)
    note = models.CharField(max_length=1000, blank=True)
    # Which version of the item was flagged (a post's number of earlier versions):
    # one flag per member per item revision.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "reporter", "revision"],
                condition=models.Q(reporter__isnull=False),
                name="one_flag_per_member_per_revision",
            )
        ]
        indexes = [models.Index(fields=["circle", "resolved_at"])]

    def __str__(self):
        return f"{self.reason} flag on {self.kind} {self.object_id}"


class WatchedWord(models.Model):
    """A word or phrase screened in new text, in one circle or (no circle) everywhere."""

    class Action(models.TextChoices):
        BLOCK = "block", "Block: refuse the text, the author keeps it"
        HOLD = "hold", "Hold for review: only the author and moderators see it"
        FLAG = "flag", "Flag: post it and add it to the review queue"

    circle = models.ForeignKey(
        Circle,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="watched_words",
    )
    phrase = models.CharField(max_length=100)
    action = models.CharField(max_length=5, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "phrase"], name="watched_word_once"
            )
        ]

    def __str__(self):
        return f"{self.phrase} ({self.action})"


class Ignore(models.Model):
    """`user` chose not to see what `ignored` writes. The ignored person is never told."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    ignored = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "ignored"], name="ignore_once")
        ]

    def __str__(self):
        return f"{self.user_id} ignores {self.ignored_id}"


LEVEL_RANK = {"danger": 3, "unsafe": 2, "concern": 1, "": 0}


class SafetyCase(models.Model):
    """One person who may need someone now, in one circle (or, with no circle, a
    staff case from private messages between members). Everything the safety desk
    shows, picks up, escalates and counts is a case; its items stay for the record."""

    class Level(models.TextChoices):
        DANGER = "danger", "May be in danger"
        UNSAFE = "unsafe", "May not be safe where they are"
        CONCERN = "concern", "May be struggling"

    circle = models.ForeignKey(
        Circle,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="safety_cases",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(max_length=8, choices=Level.choices)
    # Every level the case has held, space-separated, gravest first.
    levels = models.CharField(max_length=30)
    opened_at = models.DateTimeField(db_index=True)
    # When it first reached danger or unsafe ("I'm not OK" counts as danger): the
    # escalation clock. Empty for a case that never did (or a misread concern).
    grave_at = models.DateTimeField(null=True, blank=True)
    picked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    picked_up_at = models.DateTimeField(null=True, blank=True)
    # The holder's last check-in message, care or done: a pick-up lapses
    # SAFETY_PICKUP_MINUTES after it.
    holder_active_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    # A rise to danger inside a held check-in tells staff once.
    staff_told_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "person"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_safety_case_per_person_per_circle",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(resolved_at__isnull=True, circle__isnull=True),
                name="one_open_staff_safety_case_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["circle", "resolved_at"]),
            models.Index(fields=["resolved_at", "escalated_at", "grave_at"]),
        ]

    def __str__(self):
        return f"{self.level} case of {self.person_id} in {self.circle_id or 'staff'}"

    @property
    def level_list(self) -> list[str]:
        return self.levels.split()

    def held_at(self, now) -> bool:
        """Someone holds it: picked up, and its holder active within the lapse."""
        if self.picked_up_by_id is None or self.holder_active_at is None:
            return False
        lapse = timedelta(minutes=settings.SAFETY_PICKUP_MINUTES)
        return self.holder_active_at + lapse > now


class SafetyItem(models.Model):
    """A moment when someone may be in danger: words that suggest it, a member's
    worry, or "I'm not OK". A moderator picks it up, so that one of them reaches out
    and none forgets; unpicked `danger` items are escalated."""

    class Kind(models.TextChoices):
        THREAD = "thread", "Thread"
        POST = "post", "Post"
        MESSAGE = "message", "Chat message"
        NOT_OK = "not-ok", "“I'm not OK right now”"
        DM = "dm", "Private message"

    Level = SafetyCase.Level

    class Source(models.TextChoices):
        WORDS = "words", "Their words"
        REFUSED = "refused", "Words that were not posted"
        FLAG = "flag", "A member's worry"
        NOT_OK = "not_ok", "They asked for support"

    circle = models.ForeignKey(
        Circle,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="safety_items",
    )
    case = models.ForeignKey(
        SafetyCase,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="items",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(max_length=8, choices=Level.choices)
    source = models.CharField(max_length=8, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    picked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    picked_up_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The author said "I'm OK, that was misread".
    misread_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["circle", "resolved_at"]),
            models.Index(fields=["level", "picked_up_at", "escalated_at"]),
        ]

    def __str__(self):
        return (
            f"{self.level} {self.kind} {self.object_id or self.pk} in {self.circle_id}"
        )

    @property
    def mark(self) -> str:
        """`<kind>:<id>` as the queue marks it: the content's id, or the alert's own."""
        return f"{self.kind}:{self.object_id if self.object_id else self.pk}"
