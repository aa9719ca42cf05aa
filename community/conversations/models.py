"""Private conversations between two people: check-ins started by a circle's host or
moderator, and messages between members who allow them."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse


def pair_key(a_id: int, b_id: int) -> str:
    """The two people of a conversation, in a fixed order, as one value."""
    low, high = sorted((a_id, b_id))
    return f"{low}:{high}"


class ConversationManager(models.Manager):
    def open_between(self, *, kind: str, starter, recipient, circle=None):
        """The open conversation of `kind` between the two, or a new one (race-safe:
        one open conversation of a kind per pair is a constraint). It lives with the
        model, below the rooms, because care in the safety desk opens a check-in too,
        and the desk cannot import this app's services, which import the desk."""
        pair = pair_key(starter.pk, recipient.pk)
        existing = self.filter(kind=kind, pair=pair, closed_at__isnull=True).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return self.create(
                    kind=kind,
                    starter=starter,
                    recipient=recipient,
                    pair=pair,
                    circle=circle,
                )
        except IntegrityError:  # the other started one at the same moment
            return self.get(kind=kind, pair=pair, closed_at__isnull=True)


class Conversation(models.Model):
    class Kind(models.TextChoices):
        CHECK_IN = "check_in", "Check-in from a moderator"
        MESSAGE = "message", "Message"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    pair = models.CharField(max_length=41)  # pair_key(starter, recipient)
    # A check-in's circle: where the moderator and the member met.
    circle = models.ForeignKey(
        "circles.Circle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Last `seq` handed out; locked and bumped by dm_send: gapless like chat.
    dm_seq = models.PositiveBigIntegerField(default=0)
    last_message_id = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    starter_read_id = models.PositiveBigIntegerField(default=0)
    recipient_read_id = models.PositiveBigIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConversationManager()

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            # One open conversation of a kind between two people.
            models.UniqueConstraint(
                fields=["kind", "pair"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_conversation_per_pair",
            )
        ]
        indexes = [
            models.Index(fields=["starter", "-last_message_at"]),
            models.Index(fields=["recipient", "-last_message_at"]),
        ]

    def __str__(self):
        return f"conversation {self.pk} ({self.kind})"

    def get_absolute_url(self):
        return reverse("conversations:detail", kwargs={"conversation_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def has(self, user) -> bool:
        return user.pk in (self.starter_id, self.recipient_id)

    def other_id(self, user) -> int:
        return self.recipient_id if user.pk == self.starter_id else self.starter_id

    def other(self, user):
        return self.recipient if user.pk == self.starter_id else self.starter

    def read_id(self, user) -> int:
        return (
            self.starter_read_id
            if user.pk == self.starter_id
            else self.recipient_read_id
        )

    def unread_for(self, user) -> bool:
        return self.last_message_id > self.read_id(user)


# What the other person sees of a message whose author deleted their account
# choosing "remove" (account_data.py), on the page and in every socket frame.
ERASED_TEXT = "Removed: its author deleted their account."
ERASED_HTML = f'<p class="tombstone">{ERASED_TEXT}</p>'


class DirectMessage(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    seq = models.PositiveBigIntegerField()
    body = models.TextField(max_length=4000)
    body_html = models.TextField()
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Its author deleted their account choosing `remove`: a tombstone for the other
    # person from then on; the words stay for staff only while a report is open.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "seq"], name="dm_seq_unique"
            ),
            models.UniqueConstraint(
                fields=["conversation", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="dm_client_id_once",
            ),
        ]

    def __str__(self):
        return f"#{self.seq} in conversation {self.conversation_id}"

    @property
    def shown_html(self) -> str:
        """What the two people see: the words, or the tombstone once erased."""
        return ERASED_HTML if self.erased_at else self.body_html


class DirectMessageReport(models.Model):
    """A private message brought to site staff: reported by its recipient, or raised
    by the crisis net (no reporter)."""

    class Reason(models.TextChoices):
        HARASSMENT = "harassment", "Harassment"
        HARMFUL = "harmful", "Harmful"
        SPAM = "spam", "Spam"
        SELF_HARM = "self_harm", "They may be at risk of harming themself"
        OTHER = "other", "Something else"
        CRISIS = "crisis", "Words that suggest someone may be in danger"

    message = models.ForeignKey(
        DirectMessage, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    level = models.CharField(max_length=8, blank=True)  # crisis: danger or concern
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"],
                condition=models.Q(reporter__isnull=False),
                name="one_dm_report_per_person",
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]

    def __str__(self):
        return f"report {self.pk} of dm {self.message_id}"

    @property
    def is_alert(self) -> bool:
        return self.reporter_id is None
