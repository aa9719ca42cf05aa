"""What the flag page tells a member about the item and what a flag will do."""

from circles import permissions
from circles.models import ContentStatus

from .services import ALREADY_FLAGGED, already_flagged, content_revision


def flag_page_facts(*, reporter, content) -> dict:
    """The item as the reporter may see it, and the true next step: a flag hides
    nothing by itself; enough members flagging it hides it until a moderator decides."""
    circle = content.content_circle
    can_moderate = permissions.can_moderate_circle(reporter, circle)
    deleted = bool(getattr(content, "deleted_at", None))
    status = content.status
    may_see_text = (
        not deleted
        and permissions.can_see_item(reporter, content)
        and (status != ContentStatus.REMOVED or can_moderate)
    )
    threshold = circle.flag_auto_hide_threshold
    if status == ContentStatus.REMOVED:
        outcome = "A moderator has already removed this: there is nothing more to flag."
    elif status == ContentStatus.HIDDEN:
        outcome = (
            "It is already hidden from members while the moderators review it. "
            "Your flag adds to what they see."
        )
    elif status == ContentStatus.HELD:
        outcome = (
            "It is held: only its author and the moderators see it until a "
            "moderator decides."
        )
    else:
        outcome = (
            "It stays visible while the moderators look at it. "
            f"If {threshold} member{'s' if threshold != 1 else ''} flag it, it is "
            "hidden from members until a moderator decides."
        )
    return {
        "may_see_text": may_see_text,
        "is_deleted": deleted,
        "outcome": outcome,
        "can_flag": status != ContentStatus.REMOVED,
        "already_flagged_text": ALREADY_FLAGGED,
        "already_flagged": already_flagged(
            reporter=reporter, content=content, revision=content_revision(content)
        ),
    }
