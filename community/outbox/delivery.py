"""Sending what the outbox holds: once each, marked sent in the same transaction,
and only while the person still wants it."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail

Purpose = OutboundEmail.Purpose


def _still_wanted(email: OutboundEmail) -> bool:
    """Only a verified, current address of an active person gets mail; a
    verification email goes to the address it verifies."""
    if email.user_id is None:
        return True
    user = email.user
    if not user.is_active:
        return False
    if email.purpose == Purpose.VERIFY:
        pending = getattr(user, "email_pending", "")
        return email.to_address in {user.email, pending} - {""}
    return user.email == email.to_address and bool(user.email_verified_at)


def email_deliver(*, email_id: int) -> bool:
    """Send one stored email unless it was sent or cancelled. The row stays locked
    while sending, so two workers never both send it."""
    now = timezone.now()
    failure = None
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(
                pk=email_id,
                sent_at__isnull=True,
                cancelled_at__isnull=True,
                send_after__lte=now,
            )
            .first()
        )
        if email is None:
            return False
        if not _still_wanted(email):
            email.cancelled_at = now
            email.save(update_fields=["cancelled_at"])
            return False
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to_address],
            headers=email.headers,
        )
        try:
            message.send()
        except Exception as exc:  # recorded after this transaction; then retried
            failure = exc
        else:
            email.sent_at = timezone.now()
            email.attempts += 1
            email.save(update_fields=["sent_at", "attempts"])
    if failure is not None:
        OutboundEmail.objects.filter(pk=email_id).update(
            attempts=email.attempts + 1, last_error=str(failure)[:500]
        )
        raise failure
    return True


def emails_due(*, now=None, limit: int = 200) -> list[int]:
    """Ids of unsent emails whose time came at least a minute ago (held by quiet
    hours, or their task was lost): fresh ones are already on the queue."""
    now = now or timezone.now()
    return list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True,
            cancelled_at__isnull=True,
            send_after__lte=now - timedelta(seconds=60),
        )
        .order_by("send_after")
        .values_list("pk", flat=True)[:limit]
    )
