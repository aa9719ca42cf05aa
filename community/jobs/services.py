"""What the scheduler runs that belongs to no other room: the clean-up of presence
rows whose socket died without saying goodbye."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from circles.models import ChatPresence


def presence_clean_stale(*, now=None) -> int:
    """Forget chat presence rows not refreshed for PRESENCE_STALE_MINUTES: their
    daphne died without running disconnect."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.PRESENCE_STALE_MINUTES)
    deleted, _ = ChatPresence.objects.filter(seen_at__lt=cutoff).delete()
    return deleted
