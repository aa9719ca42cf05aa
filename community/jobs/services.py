"""What the scheduler runs besides nudges and email: safety escalation and the
clean-up of presence rows whose socket died without saying goodbye."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from circles.models import ChatPresence, Membership
from community.notifications import services as notifications
from moderation.models import Flag

from .models import SafetyEscalation

User = get_user_model()
# The lead adds "picked up" to safety items; until then, unresolved is enough.
_HAS_PICK_UP = any(f.name == "picked_up_at" for f in Flag._meta.get_fields())


def overdue_safety_flags(*, now):
    cutoff = now - timedelta(minutes=settings.SAFETY_ESCALATE_MINUTES)
    flags = Flag.objects.filter(
        reason=Flag.Reason.SELF_HARM, resolved_at__isnull=True, created_at__lte=cutoff
    ).exclude(pk__in=SafetyEscalation.objects.values("flag_id"))
    if _HAS_PICK_UP:
        flags = flags.filter(picked_up_at__isnull=True)
    return flags.select_related("circle").order_by("created_at", "id")


def _escalation_recipients(circle) -> list:
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(is_staff=True)
            | Q(
                memberships__circle=circle,
                memberships__state=Membership.State.ACTIVE,
                memberships__role__in=[
                    Membership.Role.HOST,
                    Membership.Role.MODERATOR,
                ],
            )
        )
        .distinct()
    )


def safety_escalate_overdue(*, now=None) -> int:
    """Escalate each self-harm report nobody picked up in SAFETY_ESCALATE_MINUTES:
    a `safety_escalated` notification (and email to a verified address, whatever
    the person chose) to the circle's hosts and moderators and to site staff.
    The SafetyEscalation row is written first in the same transaction, so a retry
    or a second scheduler finds it and sends nothing."""
    now = now or timezone.now()
    escalated = 0
    for flag in overdue_safety_flags(now=now):
        try:
            with transaction.atomic():
                record = SafetyEscalation.objects.create(flag=flag)
                recipients = _escalation_recipients(flag.circle)
                waited = int((now - flag.created_at).total_seconds() // 60)
                for user in recipients:
                    notifications.notification_send(
                        recipient=user,
                        kind="safety_escalated",
                        text=f"A report that someone may be at risk in "
                        f"“{flag.circle.name}” has waited {waited} minutes and "
                        "nobody has picked it up.",
                        url=f"/circles/{flag.circle.slug}/moderation/",
                        circle=flag.circle,
                    )
                record.recipients = len(recipients)
                record.save(update_fields=["recipients"])
        except IntegrityError:
            continue  # another scheduler escalated it first
        escalated += 1
    return escalated


def presence_clean_stale(*, now=None) -> int:
    """Forget chat presence rows not refreshed for PRESENCE_STALE_MINUTES: their
    daphne died without running disconnect."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.PRESENCE_STALE_MINUTES)
    deleted, _ = ChatPresence.objects.filter(seen_at__lt=cutoff).delete()
    return deleted
