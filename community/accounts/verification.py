"""An email address is used only after its owner followed the link we sent to it.
No address is ever shown to anyone but its owner.

Changing a confirmed address keeps it on the account (for notifications and for
password reset) until the new one is confirmed; the confirmed address is told of
the change. Confirmation emails are limited per person and per address
(`RATE_LIMIT_VERIFY_EMAIL`)."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community import ratelimit
from community.outbox import mail

User = get_user_model()
SALT = "accounts.verify-email"
MAX_AGE = 3 * 24 * 3600


def _normal(email: str) -> str:
    email = (email or "").strip()
    if "@" in email:
        local, _, domain = email.rpartition("@")
        email = f"{local}@{domain.lower()}"
    return email


def confirmation_allowed(*, user, address: str) -> None:
    """Count one confirmation email for the person and for the address; raise
    RateLimited (its sentence says when to try again) past either limit."""
    ratelimit.hit_action("VERIFY_EMAIL", f"person:{user.pk}")
    ratelimit.hit_action("VERIFY_EMAIL", f"email:{address.casefold()}")


def email_change_needs_password(*, user, email: str) -> bool:
    """A change of address (or removing it) asks for the current password."""
    email = _normal(email)
    return email != user.email and email != user.email_pending


@transaction.atomic
def email_set(*, user, email: str) -> bool:
    """Change (or clear) the person's address; returns True when a confirmation
    email was queued. With a confirmed address on the account, a new one waits in
    `email_pending` and the confirmed one stays (and is told) until the link is
    followed. Raises ValidationError on `email` when too many links were sent."""
    email = _normal(email)
    if email == user.email:
        if user.email_pending:  # changed their mind: the confirmed one stays
            user.email_pending = ""
            user.save(update_fields=["email_pending"])
        return False
    if email and email == user.email_pending:
        return False  # already waiting for its link ("send the link again" resends)
    if email:
        try:
            confirmation_allowed(user=user, address=email)
        except ratelimit.RateLimited as exc:
            raise ValidationError({"email": exc.limit.message}) from None
    old = user.email if user.email_verified_at else ""
    if old and email:
        user.email_pending = email
        user.save(update_fields=["email_pending"])
    else:
        user.email = email
        user.email_pending = ""
        user.email_verified_at = None
        user.save(update_fields=["email", "email_pending", "email_verified_at"])
    if old:
        _tell_old_address(user=user, address=old, removed=not email)
    if not email:
        return False
    return verification_send(user=user, counted=True)


def _tell_old_address(*, user, address: str, removed: bool) -> None:
    reset = mail.absolute(reverse("password_reset"))
    if removed:
        what = [
            "The email address of your Circles account was removed: this address "
            "is no longer on the account and we send nothing more to it.",
        ]
    else:
        what = [
            "Someone (we hope you) asked to change the email address of your "
            "Circles account to another one.",
            "Until the new address is confirmed, this address stays on the account "
            "and password reset still sends its link here.",
        ]
    body = "\n".join(
        [
            f"Hello {user.display_name},",
            "",
            *what,
            "",
            "If this was you, there is nothing to do.",
            "If it was not you, someone may be using your account: reset your "
            f"password here with this address, then check your settings: {reset}",
        ]
    )
    mail.email_queue(
        key=f"email-changed:{user.pk}:{timezone.now().timestamp()}",
        purpose=mail.Purpose.NOTIFICATION,
        to_address=address,
        subject="Circles: the email address of your account was changed",
        body=body,
    )


def verification_send(*, user, counted: bool = False) -> bool:
    """Queue the confirmation link for the address waiting for it (the pending
    one, else the unconfirmed one). Counts against RATE_LIMIT_VERIFY_EMAIL unless
    the caller already did; raises RateLimited past it."""
    address = user.email_pending or user.email
    if not address:
        return False
    if not counted:
        confirmation_allowed(user=user, address=address)
    token = signing.dumps({"u": user.pk, "e": address}, salt=SALT)
    link = mail.absolute(reverse("verify_email", kwargs={"token": token}))
    body = "\n".join(
        [
            f"Hello {user.display_name},",
            "",
            "Someone (we hope you) added this address to an account on Circles.",
            "To confirm it is yours, open this link within three days:",
            "",
            link,
            "",
            "Until then we send nothing else to it. If this was not you, ignore "
            "this email: the address will not be used.",
        ]
    )
    return (
        mail.email_queue(
            key=f"verify:{user.pk}:{token[-27:]}",
            purpose=mail.Purpose.VERIFY,
            user=user,
            to_address=address,
            subject="Circles: confirm your email address",
            body=body,
            link=link,
        )
        is not None
    )


def email_verify(*, token: str):
    """Confirm the address if the link is good and the address is still the
    person's (or the one waiting); returns the user, or None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(pk=data.get("u"), is_active=True)
            .first()
        )
        if user is None or not data.get("e"):
            return None
        if user.email_pending and user.email_pending == data.get("e"):
            user.email = user.email_pending
            user.email_pending = ""
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email", "email_pending", "email_verified_at"])
            return user
        if not user.email or user.email != data.get("e"):
            return None
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    return user
