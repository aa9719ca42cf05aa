"""Deleting an account: the user row is kept (authors' and audit rows point at it)
but stripped and deactivated. What the person made or was sent goes (or stays under
"a former member" with `keep`) as each app's `account_data` module says
(registry.py); this module knows no app's models."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import control, registry

FORMER = registry.FORMER


def account_delete(*, user, content: str, now=None) -> None:
    """Anonymise the account (the caller checked the password). Final."""
    if content not in ("remove", "keep"):
        raise ValidationError({"content": "Choose what happens to what you wrote."})
    now = now or timezone.now()
    with transaction.atomic():
        registry.erase_everywhere(user=user, content=content, now=now)
        _strip(user, now=now)
        control.sessions_end_all(user=user)


def _strip(user, *, now) -> None:
    user.username = f"deleted-{uuid.uuid4().hex}"
    user.display_name = FORMER
    user.email = user.email_pending = ""
    user.email_verified_at = None
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.notify, user.time_zone, user.quiet_hours = {}, "", ""
    user.allow_messages = "none"
    user.deleted_at = now
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def erasure_finish_resolved(*, now=None) -> int:
    """Erase a deleted account's words whose reports have all been resolved."""
    return registry.sweep_everywhere(now=now or timezone.now())
