"""Review: what a moderator decides about an item (remove, restore, dismiss its
flags, approve a held item, warn its author, lock a thread). Each decision is done
and written to the audit log in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from circles import permissions
from circles.content_events import REMOVED_PUBLIC_TEXT
from circles.models import ContentStatus
from community.notifications.services import notification_send
from moderation.audit.services import audit_record
from moderation.content import (
    broadcast_approved,
    broadcast_back,
    broadcast_gone,
    content_get,
    content_set_status,
)
from moderation.flags.services import flags_resolve
from moderation.models import Flag, ModerationAction
from moderation.safety.sensitive import sensitive_levels

Action = ModerationAction.Action

THANKS_REMOVED = "Thank you for your flag: a moderator removed what you reported."
CRISIS_NOT_A_RULE = (
    "These words raised a safety concern, and words like these are never a rule "
    "broken, so nothing was removed. Their case is on the safety desk: pick it up to "
    "check in, or use Care to move them out of other members' view."
)
THANKS_KEPT = (
    "Thank you for your flag: a moderator looked and decided the item can stay."
)


def moderated_get(*, actor, kind: str = "", object_id=None, content=None):
    """The item (fetched once: a view that already holds it passes `content`), with
    the actor's right to moderate its circle asked (cached for the request)."""
    if content is None:
        content = content_get(kind, object_id)
    permissions.allow_moderate_circle(actor, content.content_circle)
    return content


def _audit(content, *, actor, action: str, reason: str = "") -> None:
    audit_record(
        circle=content.content_circle,
        actor=actor,
        action=action,
        target_user=content.author,
        target_kind=content.content_kind,
        target_id=content.pk,
        reason=reason,
    )


def _decide(content, *, actor, status, resolution, outcome, action, reason, announce):
    """One moderator decision on an item: its status, its flags (reporters told the
    outcome), the audit line and the live event, in one transaction."""
    with transaction.atomic():
        if status is not None:
            content_set_status(content, status, reason=reason)
        flags_resolve(content, resolution, outcome=outcome)
        _audit(content, actor=actor, action=action, reason=reason)
        if announce is not None:
            announce()


WHAT = {"thread": "thread", "post": "reply", "message": "chat message"}


def _tell_author_removed(content, *, reason: str) -> None:
    circle = content.content_circle
    what = WHAT[content.content_kind]
    notification_send(
        recipient=content.author,
        kind="moderation",
        text=(
            f"A moderator of {circle.name} removed your {what}. Their reason: "
            f"{reason[:160].rstrip(' .')}. Others now see only that moderators removed it; "
            "you can keep taking part, and the guidelines are on the circle's page."
        ),
        url=circle.get_absolute_url(),
        circle=circle,
    )


def _announce_removal(content, *, reason: str) -> None:
    broadcast_gone(content, REMOVED_PUBLIC_TEXT)
    _tell_author_removed(content, reason=reason)


def _crisis_words_without_other_flag(content) -> bool:
    """Crisis words are never a rule broken (contract, third round): they may be
    removed only when a member flagged them for another reason (harassment, spam)."""
    kind = content.content_kind
    if not sensitive_levels(kind, [content.pk]):
        return False
    return (
        not Flag.objects.filter(
            kind=kind, object_id=content.pk, resolved_at__isnull=True
        )
        .exclude(reason=Flag.Reason.SELF_HARM)
        .exists()
    )


def content_remove(*, actor, kind="", object_id=None, content=None, reason: str):
    """Remove an item: others see a neutral note in its place, the author is told
    the reason privately, and the original stays for the audit."""
    content = moderated_get(
        actor=actor, kind=kind, object_id=object_id, content=content
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": "Give a reason: the author is told it privately. "
                "Nothing was removed."
            }
        )
    if _crisis_words_without_other_flag(content):
        raise ValidationError(CRISIS_NOT_A_RULE, code="crisis_words")
    _decide(
        content,
        actor=actor,
        status=ContentStatus.REMOVED,
        resolution=Flag.Resolution.REMOVED,
        outcome=THANKS_REMOVED,
        action=Action.REMOVE,
        reason=reason,
        announce=lambda: _announce_removal(content, reason=reason),
    )
    return content


def restorable_get(*, actor, kind: str = "", object_id=None, content=None):
    """A removed item the actor may bring back, or the 404 of a missing one."""
    if content is None:
        content = content_get(kind, object_id)
    permissions.allow_restore_item(actor, content)
    return content


def _announce_restored(content) -> None:
    broadcast_back(content)
    circle = content.content_circle
    notification_send(
        recipient=content.author,
        kind="moderation",
        text=(
            f"A moderator of {circle.name} restored your {WHAT[content.content_kind]}"
            ": the circle can read it again."
        ),
        url=content.get_content_url(),
        circle=circle,
    )


def content_restore(*, actor, kind="", object_id=None, content=None, reason=""):
    """Bring back what moderators removed: it is visible again (open pages update
    after commit) and its author is told. Only removed items, by the circle's
    hosts, moderators and staff; to anyone else the 404 of a missing item."""
    content = restorable_get(
        actor=actor, kind=kind, object_id=object_id, content=content
    )
    _decide(
        content,
        actor=actor,
        status=ContentStatus.VISIBLE,
        resolution=Flag.Resolution.RESTORED,
        outcome=THANKS_KEPT,
        action=Action.RESTORE,
        reason=reason,
        announce=lambda: _announce_restored(content),
    )
    return content


def flags_dismiss(*, actor, kind="", object_id=None, content=None, reason=""):
    """The flags were not needed: the item stays (and comes back if it was hidden)."""
    content = moderated_get(
        actor=actor, kind=kind, object_id=object_id, content=content
    )
    was_hidden = content.status == ContentStatus.HIDDEN
    _decide(
        content,
        actor=actor,
        status=ContentStatus.VISIBLE if was_hidden else None,
        resolution=Flag.Resolution.DISMISSED,
        outcome=THANKS_KEPT,
        action=Action.DISMISS,
        reason=reason,
        announce=(lambda: broadcast_back(content)) if was_hidden else None,
    )
    return content


def content_approve(*, actor, kind="", object_id=None, content=None, reason=""):
    """A held item is fine: everyone can see it now."""
    content = moderated_get(
        actor=actor, kind=kind, object_id=object_id, content=content
    )
    if content.status != ContentStatus.HELD:
        raise ValidationError("That item is not held for review.")
    _decide(
        content,
        actor=actor,
        status=ContentStatus.VISIBLE,
        resolution=Flag.Resolution.APPROVED,
        outcome="A moderator approved an item.",
        action=Action.APPROVE_HELD,
        reason=reason,
        announce=lambda: broadcast_approved(content),
    )
    return content


def author_warn(*, actor, kind="", object_id=None, content=None, reason: str):
    """A private notice to the author; nobody else sees it."""
    content = moderated_get(
        actor=actor, kind=kind, object_id=object_id, content=content
    )
    circle = content.content_circle
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what the warning is about."})
    with transaction.atomic():
        notification_send(
            recipient=content.author,
            kind="warning",
            text=f"A moderator of {circle.name} asks you to take care: {reason}"[:300],
            url=content.get_content_url(),
            circle=circle,
        )
        _audit(content, actor=actor, action=Action.WARN, reason=reason)
    return content


def thread_lock(*, actor, thread_id, locked: bool, reason: str = ""):
    content = moderated_get(actor=actor, kind="thread", object_id=thread_id)
    with transaction.atomic():
        content.locked = locked
        content.save(update_fields=["locked"])
        _audit(
            content,
            actor=actor,
            action=Action.LOCK if locked else Action.UNLOCK,
            reason=reason,
        )
    return content
