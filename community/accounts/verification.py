"""An email address is used only after its owner followed the link we sent to it.
No address is ever shown to anyone but its owner."""

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


@transaction.atomic
def email_set(*, user, email: str) -> bool:
    """Change (or clear) the person's address. A new address is unverified until
    its link is followed; returns True when a verification email was queued."""
    email = _normal(email)
    if email == user.email:
        return False
    user.email = email
    user.email_verified_at = None
    user.save(update_fields=["email", "email_verified_at"])
    if not email:
        return False
    try:
        return verification_send(user=user)
    except ratelimit.RateLimited as limited:
        raise ValidationError({"email": str(limited)}) from limited


def verification_send(*, user) -> bool:
    """Queue a link to the person's address; RATE_LIMITS["VERIFY_EMAIL"] per person
    and per address (RateLimited past either), so no inbox can be flooded."""
    ratelimit.hit_action("VERIFY_EMAIL", f"person:{user.pk}")
    ratelimit.hit_action("VERIFY_EMAIL", f"email:{user.email.casefold()}")
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=SALT)
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
            to_address=user.email,
            subject="Circles: confirm your email address",
            body=body,
        )
        is not None
    )


def email_verify(*, token: str):
    """Mark the address verified if the link is good and still the person's
    address; returns the user, or None."""
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
        if user is None or not user.email or user.email != data.get("e"):
            return None
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    return user
