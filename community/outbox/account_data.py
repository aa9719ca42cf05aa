"""Email, for deletion (community/accounts/registry.py): nothing more goes to the
person, what was sent to them keeps no address or words, and email not yet sent to
others that names them is not sent."""

from .mail import email_cancel_naming
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
    email_cancel_naming(name=user.display_name, now=now, exclude_user=user)
    OutboundEmail.objects.filter(user=user).update(
        to_address="", subject="", body="", headers={}
    )
