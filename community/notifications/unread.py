"""The header's unread-notification count, kept per person in the shared cache
(community/person_cache.py). Every write that changes it (`notification_send`,
each way of reading, erasure) calls `unread_forget`."""

from community.person_cache import PersonCache

from .models import Notification


def _count(user_id: int) -> int:
    return Notification.objects.filter(
        recipient_id=user_id, read_at__isnull=True
    ).count()


UNREAD = PersonCache("notifications:unread", _count)


def unread_count(*, user) -> int:
    """The person's unread notifications, counted in the database."""
    return _count(user.pk)


def unread_count_cached(*, user) -> int:
    """The same count, from the cache when it holds it."""
    return UNREAD.get(user.pk)


def unread_forget(user_id: int) -> None:
    UNREAD.forget(user_id)
