"""Sending notifications: stored first, pushed live to the person's open sockets
after commit."""

from django.utils import timezone

from community import realtime

from .models import Notification


def notification_send(
    *, recipient, kind: str, text: str, url: str = "", circle=None
) -> Notification:
    """Store a notification for `recipient` and push it to them if they are online."""
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, text=text[:300], url=url[:300], circle=circle
    )
    realtime.broadcast_on_commit(
        realtime.user_group(recipient.pk),
        realtime.client_event(
            "notification.created",
            {
                "id": notification.pk,
                "kind": kind,
                "text": notification.text,
                "url": notification.url,
            },
        ),
    )
    return notification


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
