"""Reading a circle's audit log."""

from moderation.models import ModerationAction


def audit_log(*, circle, limit: int = 200):
    return ModerationAction.objects.filter(circle=circle).select_related(
        "actor", "target_user"
    )[:limit]
