from django.contrib.auth.models import AbstractUser
from django.core.validators import MinLengthValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

display_name_validators = [
    MinLengthValidator(2),
    RegexValidator(
        r"^[^\x00-\x1f\x7f<>]+$",
        "A display name cannot contain control characters or angle brackets.",
    ),
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

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"), name="accounts_user_display_name_ci_unique"
            )
        ]

    def __str__(self):
        return self.display_name or self.username
