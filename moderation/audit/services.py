"""The audit log's one write: every moderation action leaves a line, in the same
transaction as the action itself."""

from moderation.models import ModerationAction


def audit_record(
    *,
    circle,
    actor,
    action: str,
    target_user=None,
    target_kind: str = "",
    target_id: int | None = None,
    reason: str = "",
    detail: str = "",
) -> ModerationAction:
    return ModerationAction.objects.create(
        circle=circle,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_user=target_user,
        target_kind=target_kind,
        target_id=target_id,
        reason=reason[:500],
        detail=detail[:200],
    )
