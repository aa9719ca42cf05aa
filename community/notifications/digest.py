"""The daily digest: once a day, at NOTIFY_DIGEST_HOUR in the person's time zone and
outside their quiet hours, one email with what they chose to get as a digest."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from community.outbox import mail
from community.outbox.models import OutboundEmail

from . import preferences, services
from .models import Notification

User = get_user_model()


def digests_send(*, now=None) -> int:
    """Queue today's digest for everyone whose hour has come; returns how many."""
    now = now or timezone.now()
    oldest = dict(
        Notification.objects.filter(digest_pending=True)
        .values("recipient")
        .annotate(oldest=Min("created_at"))
        .values_list("recipient", "oldest")
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(oldest), is_active=True):
        local = now.astimezone(preferences.zone(user))
        # Due after the digest hour, or at once for what waited since an earlier
        # day (quiet hours covered the evening).
        overdue = oldest[user.pk].astimezone(local.tzinfo).date() < local.date()
        if local.hour < settings.NOTIFY_DIGEST_HOUR and not overdue:
            continue
        if preferences.quiet_until(user, now):
            continue
        key = f"digest:{user.pk}:{local.date().isoformat()}"
        if OutboundEmail.objects.filter(key=key).exists():
            continue  # today's is sent; the rest go tomorrow
        if _digest_one(user, key=key):
            sent += 1
    return sent


def _digest_one(user, *, key: str) -> bool:
    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update()
            .filter(recipient=user, digest_pending=True)
            .order_by("created_at", "id")
        )
        if not items:
            return False
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(
            digest_pending=False
        )
        address = mail.verified_address(user)
        if not address:
            return False
        link, headers = services.unsubscribe_headers(user, "digest")
        lines = [f"Hello {user.display_name},", "", "Since your last digest:", ""]
        for n in items:
            lines.append(f"- {n.text}")
            if n.url:
                lines.append("  " + mail.absolute(services.open_url(n)))
        lines += [
            "",
            "--",
            "You get this digest because you chose it in your settings.",
            f"Stop digest emails with one click: {link}",
            "Or change your choices: " + mail.absolute(reverse("account_settings")),
        ]
        mail.email_queue(
            key=key,
            purpose=mail.Purpose.DIGEST,
            user=user,
            to_address=address,
            subject=f"Circles: your daily digest ({len(items)})",
            body="\n".join(lines),
            headers=headers,
            link="/notifications/",
        )
    return True
