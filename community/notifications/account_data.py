"""A person's notifications, for export and deletion (community/accounts/registry.py):
theirs go; others' notifications that name them name "a former member" instead."""

from .models import Notification
from .services import notifications_rename_sender
from .unread import unread_forget

MODELS = {"notifications.Notification": ("recipient",)}
ORDER = 80  # after the rooms, which may notify while leaving


def export(*, user) -> dict:
    return {
        "notifications": [
            {
                "kind": n.kind,
                "text": n.text,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read": n.read_at is not None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("id")
        ]
    }


def erase(*, user, content: str, now, former: str) -> None:
    Notification.objects.filter(recipient=user).delete()
    unread_forget(user.pk)
    notifications_rename_sender(old_name=user.display_name, new_name=former)
