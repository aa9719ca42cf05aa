from django.contrib.auth.models import AbstractUser
from django.core.validators import MinLengthValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

from .names import (
    display_name_skeleton,
    normalise_display_name,
    refuse_hidden_characters,
)

display_name_validators = [
    MinLengthValidator(2),
    RegexValidator(
        r"^[^\x00-\x1f\x7f<>]+$",
        "A display name cannot contain control characters or angle brackets.",
    ),
    refuse_hidden_characters,
]


class User(AbstractUser):
    """A person. Others only ever see `display_name`, a pseudonym."""

    display_name = models.CharField(
        max_length=32,
        validators=display_name_validators,
        help_text="How others in your circles see you: 2 to 32 characters. "
        "It does not need to be your real name.",
    )
    # What the name looks like (names.display_name_skeleton): no two active
    # accounts may share one. Kept in step with display_name by save().
    display_name_skeleton = models.CharField(
        max_length=640, db_index=True, editable=False, default=""
    )

    # Account control (README: Accounts). An address is used only once verified.
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # A new address asked for while a confirmed one is on the account: the confirmed
    # one (and password reset to it) stays until this one's link is followed.
    email_pending = models.EmailField(blank=True, default="")
    allow_messages = models.CharField(
        max_length=16,
        choices=[
            ("none", "Nobody: only check-ins from my circles' hosts and moderators"),
            ("circle_members", "People who share a circle with me"),
        ],
        default="none",
    )
    time_zone = models.CharField(max_length=64, blank=True, default="")
    quiet_hours = models.CharField(max_length=11, blank=True, default="")
    # Safety (README: Sensitive words, helplines): whose crisis lines the cards show
    # ("" for CRISIS_COUNTRY), and emails that name no circle, person or words.
    crisis_country = models.CharField(max_length=8, blank=True, default="")
    discreet_email = models.BooleanField(default=False)
    # Email choice per notification kind: {"reply": "instant", ...}; missing: default.
    notify = models.JSONField(default=dict, blank=True)
    # Bumped by "log out everywhere": every session made before it stops working.
    session_epoch = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Deleted accounts all read "a former member" (no hash for others to see).
            models.UniqueConstraint(
                Lower("display_name"),
                condition=models.Q(deleted_at__isnull=True),
                name="accounts_user_display_name_ci_unique",
            )
        ]

    def __str__(self):
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # Every path that names a person (sign-up, rename, admin, imports) stores the
        # normalised name and its skeleton together.
        self.display_name = normalise_display_name(self.display_name)
        self.display_name_skeleton = display_name_skeleton(self.display_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "display_name_skeleton"}
        super().save(*args, **kwargs)

    def get_session_auth_hash(self):
        if not self.session_epoch:
            return super().get_session_auth_hash()
        return salted_hmac(
            "accounts.User.session_epoch",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()


class ErasurePending(models.Model):
    """Words of a deleted account kept for staff because a report on them is still
    open; erased by the scheduler once the report is resolved."""

    kind = models.CharField(max_length=10)  # thread / post / message
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="erasure_once")
        ]

    def __str__(self):
        return f"erase {self.kind} {self.object_id}"
