"""Email, for deletion (community/accounts/registry.py): nothing more goes to the
person, what was sent to them keeps no address or words, and email not yet sent to
others that names them is not sent."""

import re

from django.db.models import Q

from .models import OutboundEmail

MODELS = {"outbox.OutboundEmail": ("user",)}
ORDER = 90  # last: the rooms before may queue email while the person leaves


def export(*, user) -> dict:
    return {}  # what was sent to them: the notifications export holds it


def erase(*, user, content: str, now, former: str) -> None:
    unsent = OutboundEmail.objects.filter(
        sent_at__isnull=True, cancelled_at__isnull=True
    )
    unsent.filter(user=user).update(cancelled_at=now)
    name = user.display_name
    if name:
        whole = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        naming = [
            email.pk
            for email in unsent.exclude(user=user)
            .filter(Q(body__contains=name) | Q(subject__contains=name))
            .only("subject", "body")
            if whole.search(email.subject) or whole.search(email.body)
        ]
        OutboundEmail.objects.filter(pk__in=naming).update(cancelled_at=now)
    OutboundEmail.objects.filter(user=user).update(
        to_address="", subject="", body="", headers={}
    )
