"""What moderation tells the notification service (found by name, see
`community.notifications.services.silenced`): a notice naming someone the recipient
ignores is not sent, in the app or by email. The ignored person is never told."""

from .models import Ignore


def silenced(*, recipient_id: int, about_id: int) -> bool:
    return Ignore.objects.filter(user_id=recipient_id, ignored_id=about_id).exists()
