"""`python manage.py create_admin`: the site's first administrator (docs/operating.md:
First admin). Unlike `createsuperuser` it sets the display name and counts the
address as verified, so safety escalations reach them by email."""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from community.accounts.models import User
from community.accounts.services import display_name_conflict


def _problems(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Create an administrator (staff and superuser) with a display name and a "
        "verified email address. The password comes from ADMIN_PASSWORD or is asked."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--display-name", required=True)

    def _password(self, user) -> str:
        password = os.environ.get("ADMIN_PASSWORD", "")
        if not password:
            if not sys.stdin.isatty():
                raise CommandError(
                    "Set ADMIN_PASSWORD, or run this in a terminal to type the "
                    "password. Nobody was created."
                )
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ. Nobody was created.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                f"{' '.join(error.messages)} Nobody was created."
            ) from None
        return password

    @transaction.atomic
    def handle(self, *args, username, email, display_name, **options):
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(
                f"There is already an account named {username}. Nobody was created."
            )
        problem = display_name_conflict(display_name=display_name)
        if problem:
            raise CommandError(f"{problem} Nobody was created.")
        user = User(
            username=username,
            display_name=display_name,
            email=email,
            email_verified_at=timezone.now(),
            is_staff=True,
            is_superuser=True,
        )
        user.set_password(self._password(user))
        try:
            user.full_clean()
        except ValidationError as error:
            raise CommandError(f"{_problems(error)} Nobody was created.") from None
        user.save()
        self.stdout.write(
            f"Created the administrator {username} (shown to others as "
            f"{user.display_name}); {email} counts as verified, so safety "
            "escalations reach it."
        )
