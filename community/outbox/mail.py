"""Email through an outbox: a request (or a task) stores the email in its own
transaction; the worker sends it. Nothing is sent inside a request."""

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from . import tasks
from .discreet import discreet_email, discreet_for
from .models import OutboundEmail

Purpose = OutboundEmail.Purpose


def absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL + url


def verified_address(user) -> str:
    """The person's address if they verified it, else ""."""
    if user is None or not user.is_active or not user.email:
        return ""
    return user.email if getattr(user, "email_verified_at", None) else ""


def email_queue(
    *,
    key: str,
    purpose: str,
    to_address: str,
    subject: str,
    body: str,
    user=None,
    headers: dict | None = None,
    send_after=None,
    link: str = "",
) -> OutboundEmail | None:
    """Store one email under `key`; a second call with the same key stores nothing.
    It is handed to the worker when the current transaction commits. For a person
    with discreet email (`discreet.discreet_for`) only `link` is kept, under a
    neutral sender and subject. Every email is composed here, and only here."""
    if not to_address:
        return None
    if discreet_for(user):
        neutral = discreet_email(
            purpose=purpose,
            link=absolute(link or reverse("notifications:list")),
            headers=headers,
        )
        subject, body, headers = neutral["subject"], neutral["body"], neutral["headers"]
    now = timezone.now()
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                key=key[:200],
                purpose=purpose,
                user=user,
                to_address=to_address,
                subject=subject[:200],
                body=body,
                headers=headers or {},
                send_after=send_after or now,
            )
    except IntegrityError:
        return None
    if email.send_after <= now:
        # robust: a broker that is down must not fail the request; the row stays
        # and the every-minute flush hands it over later.
        transaction.on_commit(lambda: _send_later(email.pk), robust=True)
    return email


def latest_send_after(*, key_prefix: str):
    """When the newest email stored under keys starting with `key_prefix` goes (or
    went) out, or None: for "at most one email per thread per hour"."""
    return (
        OutboundEmail.objects.filter(
            key__startswith=key_prefix, cancelled_at__isnull=True
        )
        .order_by("-send_after")
        .values_list("send_after", flat=True)
        .first()
    )


def _send_later(email_id: int) -> None:
    """Hand the email to the worker."""
    tasks.email_send.delay(email_id)


def email_cancel_naming(
    *, name: str, now=None, user=None, exclude_user=None, purpose=None
) -> int:
    """Cancel email not yet sent whose subject or body names `name` as a whole
    name: only to `user` and of `purpose` when given, never to `exclude_user`.
    Returns how many."""
    if not name:
        return 0
    now = now or timezone.now()
    unsent = OutboundEmail.objects.filter(
        sent_at__isnull=True, cancelled_at__isnull=True
    )
    if user is not None:
        unsent = unsent.filter(user=user)
    if purpose is not None:
        unsent = unsent.filter(purpose=purpose)
    if exclude_user is not None:
        unsent = unsent.exclude(user=exclude_user)
    whole = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    naming = [
        email.pk
        for email in unsent.filter(Q(body__contains=name) | Q(subject__contains=name))
        .only("subject", "body")
        .iterator()
        if whole.search(email.subject) or whole.search(email.body)
    ]
    return OutboundEmail.objects.filter(pk__in=naming).update(cancelled_at=now)
