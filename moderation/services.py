"""Moderation writes: every action is done and written to the audit log in one
transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from circles import events, permissions
from circles import services as circle_services
from circles.models import Circle
from community import ratelimit, realtime

from .models import Flag, Ignore, ModerationAction, WatchedWord

Action = ModerationAction.Action


def audit_record(
    *,
    circle: Circle,
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


@transaction.atomic
def member_mute(*, actor, circle: Circle, user_id: int, minutes: int, reason: str = ""):
    membership = circle_services.membership_mute(
        actor=actor, circle=circle, user_id=user_id, minutes=minutes, reason=reason
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.MUTE,
        target_user=membership.user,
        reason=reason,
        detail=f"for {minutes} minutes",
    )
    return membership


@transaction.atomic
def member_unmute(*, actor, circle: Circle, user_id: int, reason: str = ""):
    membership = circle_services.membership_unmute(
        actor=actor, circle=circle, user_id=user_id
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.UNMUTE,
        target_user=membership.user,
        reason=reason,
    )
    return membership


@transaction.atomic
def member_ban(*, actor, circle: Circle, user_id: int, reason: str = ""):
    membership = circle_services.membership_ban(
        actor=actor, circle=circle, user_id=user_id, reason=reason
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.BAN,
        target_user=membership.user,
        reason=reason,
    )
    return membership


@transaction.atomic
def member_unban(*, actor, circle: Circle, user_id: int, reason: str = ""):
    membership = circle_services.membership_unban(
        actor=actor, circle=circle, user_id=user_id
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.UNBAN,
        target_user=membership.user,
        reason=reason,
    )
    return membership


@transaction.atomic
def chat_slow_mode_set(*, actor, circle: Circle, seconds: int) -> Circle:
    """Slow mode: each member may send one chat message every `seconds` (0: off)."""
    permissions.check_moderate_circle(actor, circle)
    if not 0 <= seconds <= 3600:
        raise ValidationError({"seconds": "Slow mode is 0 (off) to 3,600 seconds."})
    circle.slow_mode_seconds = seconds
    circle.save(update_fields=["slow_mode_seconds"])
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.SLOW_MODE,
        detail=f"{seconds} seconds" if seconds else "off",
    )
    realtime.broadcast_on_commit(
        events.circle_group(circle.pk), events.slow_mode_changed(seconds)
    )
    return circle


# --- content: flags, removal, review ---
def content_models():
    from circles.models import ChatMessage, Post, Thread

    return {"thread": Thread, "post": Post, "message": ChatMessage}


def content_get(kind: str, object_id) -> tuple:
    """The flagged item and its circle, or 404."""
    model = content_models().get(kind)
    if model is None:
        raise Http404("No such item.")
    related = {
        "thread": ["circle", "author"],
        "post": ["thread__circle", "author"],
        "message": ["circle", "author"],
    }[kind]
    try:
        item = model.objects.select_related(*related).get(pk=int(object_id))
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such item.") from None
    return item, circle_of(item)


def kind_of(content) -> str:
    return {"Thread": "thread", "Post": "post", "ChatMessage": "message"}[
        type(content).__name__
    ]


def circle_of(content):
    return content.thread.circle if kind_of(content) == "post" else content.circle


def content_url(content) -> str:
    kind = kind_of(content)
    if kind == "thread":
        return content.get_absolute_url()
    if kind == "post":
        return f"{content.thread.get_absolute_url()}#post-{content.pk}"
    return content.circle.get_absolute_url()


def _set_status(content, status: str, *, reason: str = "") -> None:
    content.status = status
    content.removed_reason = reason[:500] if status == "removed" else ""
    content.removed_at = timezone.now() if status == "removed" else None
    content.save(update_fields=["status", "removed_reason", "removed_at"])
    if kind_of(content) == "thread":  # the opening post follows its thread
        root = content.posts.filter(parent=None).first()
        if root is not None and root.status != status:
            _set_status(root, status, reason=reason)


def _broadcast_gone(content, reason: str) -> None:
    kind = kind_of(content)
    group = events.circle_group(circle_of(content).pk)
    if kind == "message":
        realtime.broadcast_on_commit(group, events.chat_removed(content, reason=reason))
    else:
        post = content if kind == "post" else content.posts.filter(parent=None).first()
        if post is not None:
            realtime.broadcast_on_commit(
                group, events.post_removed(post, reason=reason)
            )


def _broadcast_back(content) -> None:
    kind = kind_of(content)
    group = events.circle_group(circle_of(content).pk)
    if kind == "message":
        payload = {"message": events.chat_message_payload(content)}
        realtime.broadcast_on_commit(
            group, events.client_event("chat.restored", payload)
        )
    else:
        post = content if kind == "post" else content.posts.filter(parent=None).first()
        if post is not None:
            realtime.broadcast_on_commit(
                group,
                events.client_event(
                    "post.restored", {"thread": post.thread_id, "id": post.pk}
                ),
            )


def moderators_of(circle):
    from circles.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            circle=circle, state="active", role__in=["host", "moderator"]
        ).select_related("user")
    ]


def _tell_moderators(
    circle, *, kind: str, text: str, url: str, except_user=None
) -> None:
    from community.notifications.services import notification_send

    for moderator in moderators_of(circle):
        if except_user is None or moderator.pk != except_user.pk:
            notification_send(
                recipient=moderator, kind=kind, text=text, url=url, circle=circle
            )


HIDDEN_REASON = "Hidden while moderators review it"


def flag_system(*, content, reason: str, note: str) -> Flag:
    """A flag raised by screening, not by a person: it goes to the queue as it is."""
    circle = circle_of(content)
    flag = Flag.objects.create(
        circle=circle,
        kind=kind_of(content),
        object_id=content.pk,
        reporter=None,
        reason=reason,
        note=note[:1000],
    )
    if reason == "self_harm":
        _tell_moderators(
            circle,
            kind="self_harm",
            text="Words in your circle suggest someone may be thinking of harming "
            "themself. Please look at the review queue soon.",
            url=f"/circles/{circle.slug}/moderation/",
        )
    return flag


def flag_create(*, reporter, kind: str, object_id, reason: str, note: str = "") -> Flag:
    """A member flags an item of their circle: once per item, never their own."""
    content, circle = content_get(kind, object_id)
    if not permissions.can_read_circle(reporter, circle):
        raise Http404("No such item.")
    permissions.check_read_circle(reporter, circle)
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": "Choose a reason from the list."})
    if content.status == "held" and not permissions.can_see_item(reporter, content):
        raise Http404("No such item.")
    if content.status == "removed":
        raise ValidationError("A moderator has already removed this.")
    if content.author_id == reporter.pk:
        raise ValidationError(
            "You cannot flag your own words. You can edit or delete them."
        )
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": "A note can have 1,000 characters."})
    if Flag.objects.filter(kind=kind, object_id=content.pk, reporter=reporter).exists():
        raise ValidationError("You have already flagged this. The moderators have it.")
    try:
        ratelimit.hit("flag", str(reporter.pk), ratelimit.FLAGS_PER_USER)
    except ratelimit.RateLimited as limited:
        raise ValidationError(str(limited)) from None
    with transaction.atomic():
        flag = Flag.objects.create(
            circle=circle,
            kind=kind,
            object_id=content.pk,
            reporter=reporter,
            reason=reason,
            note=note,
        )
        if reason == "self_harm":
            _tell_moderators(
                circle,
                kind="self_harm",
                text="A member is worried someone may harm themself. Please look at the "
                "review queue soon.",
                url=f"/circles/{circle.slug}/moderation/",
                except_user=reporter,
            )
        flaggers = (
            Flag.objects.filter(kind=kind, object_id=content.pk, resolved_at=None)
            .exclude(reporter=None)
            .values("reporter")
            .distinct()
            .count()
        )
        if content.status == "visible" and flaggers >= circle.flag_auto_hide_threshold:
            _set_status(content, "hidden")
            audit_record(
                circle=circle,
                actor=None,
                action=Action.AUTO_HIDE,
                target_user=content.author,
                target_kind=kind,
                target_id=content.pk,
                detail=f"{flaggers} members flagged it",
            )
            _broadcast_gone(content, HIDDEN_REASON)
    return flag


def _resolve_flags(content, resolution: str, *, outcome: str) -> None:
    from community.notifications.services import notification_send

    now = timezone.now()
    flags = Flag.objects.filter(
        kind=kind_of(content), object_id=content.pk, resolved_at=None
    )
    reporters = {f.reporter for f in flags.select_related("reporter") if f.reporter_id}
    flags.update(resolved_at=now, resolution=resolution)
    for reporter in reporters:
        notification_send(
            recipient=reporter,
            kind="flag_outcome",
            text=outcome,
            url=content_url(content),
            circle=circle_of(content),
        )


def _moderated(actor, kind, object_id):
    content, circle = content_get(kind, object_id)
    permissions.check_moderate_circle(actor, circle)
    return content, circle


THANKS_REMOVED = "Thank you for your flag: a moderator removed what you reported."
THANKS_KEPT = (
    "Thank you for your flag: a moderator looked and decided the item can stay."
)


def _decide(
    content, circle, *, actor, status, resolution, outcome, action, reason, announce
) -> None:
    """One moderator decision on an item: its status, its flags (reporters told the
    outcome), the audit line and the live event, in one transaction."""
    with transaction.atomic():
        if status is not None:
            _set_status(content, status, reason=reason)
        _resolve_flags(content, resolution, outcome=outcome)
        audit_record(
            circle=circle,
            actor=actor,
            action=action,
            target_user=content.author,
            target_kind=kind_of(content),
            target_id=content.pk,
            reason=reason,
        )
        if announce is not None:
            announce()


def content_remove(*, actor, kind: str, object_id, reason: str) -> object:
    """Remove an item: its reason shows in its place; the original stays for the audit."""
    content, circle = _moderated(actor, kind, object_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Give a reason: members see it in place of the text."}
        )
    _decide(
        content,
        circle,
        actor=actor,
        status="removed",
        resolution=Flag.Resolution.REMOVED,
        outcome=THANKS_REMOVED,
        action=Action.REMOVE,
        reason=reason,
        announce=lambda: _broadcast_gone(content, reason),
    )
    return content


def content_restore(*, actor, kind: str, object_id, reason: str = "") -> object:
    content, circle = _moderated(actor, kind, object_id)
    _decide(
        content,
        circle,
        actor=actor,
        status="visible",
        resolution=Flag.Resolution.RESTORED,
        outcome=THANKS_KEPT,
        action=Action.RESTORE,
        reason=reason,
        announce=lambda: _broadcast_back(content),
    )
    return content


def flags_dismiss(*, actor, kind: str, object_id, reason: str = "") -> object:
    """The flags were not needed: the item stays (and comes back if it was hidden)."""
    content, circle = _moderated(actor, kind, object_id)
    was_hidden = content.status == "hidden"
    _decide(
        content,
        circle,
        actor=actor,
        status="visible" if was_hidden else None,
        resolution=Flag.Resolution.DISMISSED,
        outcome=THANKS_KEPT,
        action=Action.DISMISS,
        reason=reason,
        announce=(lambda: _broadcast_back(content)) if was_hidden else None,
    )
    return content


def content_approve(*, actor, kind: str, object_id) -> object:
    """A held item is fine: everyone can see it now."""
    content, circle = _moderated(actor, kind, object_id)
    if content.status != "held":
        raise ValidationError("That item is not held for review.")
    with transaction.atomic():
        _set_status(content, "visible")
        _resolve_flags(
            content, Flag.Resolution.APPROVED, outcome="A moderator approved an item."
        )
        audit_record(
            circle=circle,
            actor=actor,
            action=Action.APPROVE_HELD,
            target_user=content.author,
            target_kind=kind,
            target_id=content.pk,
        )
        if kind == "message":
            realtime.broadcast_on_commit(
                events.circle_group(circle.pk), events.chat_message(content)
            )
        elif kind == "post":
            realtime.broadcast_on_commit(
                events.circle_group(circle.pk), events.post_created(content)
            )
    return content


def author_warn(*, actor, kind: str, object_id, reason: str) -> object:
    """A private notice to the author; nobody else sees it."""
    from community.notifications.services import notification_send

    content, circle = _moderated(actor, kind, object_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what the warning is about."})
    with transaction.atomic():
        notification_send(
            recipient=content.author,
            kind="warning",
            text=f"A moderator of {circle.name} asks you to take care: {reason}"[:300],
            url=content_url(content),
            circle=circle,
        )
        audit_record(
            circle=circle,
            actor=actor,
            action=Action.WARN,
            target_user=content.author,
            target_kind=kind,
            target_id=content.pk,
            reason=reason,
        )
    return content


def thread_lock(*, actor, thread_id, locked: bool, reason: str = ""):
    content, circle = _moderated(actor, "thread", thread_id)
    with transaction.atomic():
        content.locked = locked
        content.save(update_fields=["locked"])
        audit_record(
            circle=circle,
            actor=actor,
            action=Action.LOCK if locked else Action.UNLOCK,
            target_user=content.author,
            target_kind="thread",
            target_id=content.pk,
            reason=reason,
        )
    return content


# --- personal safety tools ---
def member_not_ok(*, user, circle) -> bool:
    """ "I'm not OK right now": quietly alert the circle's hosts and moderators.
    Returns whether they were alerted (at most once in 30 minutes a person)."""
    permissions.check_read_circle(user, circle)
    try:
        ratelimit.hit("not-ok", f"{user.pk}:{circle.pk}", NOT_OK_ALERTS)
    except ratelimit.RateLimited:
        return False
    _tell_moderators(
        circle,
        kind="support_alert",
        text=f"{user.display_name} pressed “I'm not OK right now” in {circle.name}. "
        "Consider checking in with them privately.",
        url=f"/circles/{circle.slug}/members/",
        except_user=user,
    )
    return True


NOT_OK_ALERTS = ratelimit.Limit(1, 30 * 60, "")


def ignore_add(*, user, ignored_id: int):
    from community.accounts.models import User

    if not user.is_authenticated:
        raise PermissionDenied("Log in first.")
    if ignored_id == user.pk:
        raise ValidationError("You cannot ignore yourself.")
    ignored = User.objects.filter(pk=ignored_id, is_active=True).first()
    if ignored is None:
        raise Http404("No such person.")
    Ignore.objects.get_or_create(user=user, ignored=ignored)
    return ignored


def ignore_remove(*, user, ignored_id: int) -> None:
    Ignore.objects.filter(user=user, ignored_id=ignored_id).delete()


def watched_word_add(*, actor, circle, phrase: str, action: str) -> WatchedWord:
    permissions.check_moderate_circle(actor, circle)
    phrase = " ".join((phrase or "").split())[:100]
    if len(phrase) < 2:
        raise ValidationError({"phrase": "A watched word has at least 2 characters."})
    if action not in WatchedWord.Action.values:
        raise ValidationError({"action": "Choose block, hold or flag."})
    word, _ = WatchedWord.objects.update_or_create(
        circle=circle, phrase=phrase, defaults={"action": action}
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=Action.WATCHED_WORD,
        detail=f"{action}: {phrase}",
    )
    return word


def watched_word_remove(*, actor, circle, word_id: int) -> None:
    permissions.check_moderate_circle(actor, circle)
    word = WatchedWord.objects.filter(pk=word_id, circle=circle).first()
    if word is not None:
        audit_record(
            circle=circle,
            actor=actor,
            action=Action.WATCHED_WORD,
            detail=f"removed: {word.phrase}",
        )
        word.delete()
