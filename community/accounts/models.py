from django.contrib.auth.models import AbstractUser
from django.core.validators import MinLengthValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

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
        unique=True,
        validators=display_name_validators,
        help_text="How others in your circles see you: 2 to 32 characters. "
        "It does not need to be your real name.",
    )
    # What the name looks like (names.display_name_skeleton): no two active
    # accounts may share one. Kept in step with display_name by save().
    display_name_skeleton = models.CharField(
        max_length=640, db_index=True, editable=False, default=""
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"), name="accounts_user_display_name_ci_unique"
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
