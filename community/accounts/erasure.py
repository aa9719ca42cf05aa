"""Deleting an account: the user row is kept (authors' and audit rows point at it)
but stripped and deactivated; with `remove` their words become tombstones that keep
threads' shape and chat's `seq`; with `keep` they stay under "a former member".
Words under an open report stay for staff until it is resolved, then go too."""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from circles import content_events, permissions
from circles.memberships import services as circles_services
from circles.models import (
    ChatMessage,
    ChatPresence,
    ContentStatus,
    Membership,
    Post,
    PostRevision,
    Thread,
    ThreadVisit,
)
from community import realtime
from community.notifications import services as notifications
from community.notifications.models import Notification
from community.outbox.models import OutboundEmail
from moderation.models import Flag, Ignore

from . import control, hooks
from .models import ErasurePending

FORMER = "a former member"
GONE_REASON = "Removed: its author deleted their account"
REMOVED_TITLE = "Removed by its author"
KIND_MODEL = {"message": ChatMessage, "post": Post, "thread": Thread}


def account_delete(*, user, content: str, now=None) -> None:
    """Anonymise the account (the caller checked the password). Final."""
    if content not in ("remove", "keep"):
        raise ValidationError({"content": "Choose what happens to what you wrote."})
    now = now or timezone.now()
    old_name = user.display_name
    _leave_circles(user)
    with transaction.atomic():
        if content == "remove":
            _remove_words(user, now=now)
        Notification.objects.filter(recipient=user).delete()
        ThreadVisit.objects.filter(user=user).delete()
        ChatPresence.objects.filter(user=user).delete()
        Ignore.objects.filter(Q(user=user) | Q(ignored=user)).delete()
        OutboundEmail.objects.filter(user=user, sent_at__isnull=True).update(
            cancelled_at=now
        )
        OutboundEmail.objects.filter(user=user).update(
            to_address="", subject="", body="", headers={}
        )
        notifications.notifications_rename_sender(old_name=old_name, new_name=FORMER)
        hooks.erase_everywhere(user=user, content=content, now=now)
        _strip(user, now=now)
        control.sessions_end_all(user=user)


def _leave_circles(user) -> None:
    """Leave every circle through the membership service (seats are passed on to
    the waitlist); a sole host first hands the role to the longest-standing member."""
    memberships = Membership.objects.filter(user=user).exclude(
        state__in=[Membership.State.LEFT, Membership.State.BANNED]
    )
    for membership in memberships.select_related("circle"):
        circle = membership.circle
        try:
            circles_services.membership_leave(user=user, circle=circle)
        except ValidationError:
            _hand_on_host(circle, leaving=user)
            circles_services.membership_leave(user=user, circle=circle)


def _hand_on_host(circle, *, leaving) -> None:
    successor = (
        Membership.objects.filter(circle=circle, state=Membership.State.ACTIVE)
        .exclude(user=leaving)
        .select_related("user")
        .order_by(
            # moderators first, then members, each by how long they have been here
            "-role",
            "joined_at",
            "id",
        )
        .first()
    )
    if successor is None:
        Membership.objects.filter(circle=circle, user=leaving).update(
            role=Membership.Role.MEMBER
        )
        return
    with transaction.atomic():
        successor.role = Membership.Role.HOST
        successor.save(update_fields=["role"])
        permissions.grant_role(user=successor.user, circle=circle, role="host")
        Membership.objects.filter(circle=circle, user=leaving).update(
            role=Membership.Role.MEMBER
        )
        notifications.notification_send(
            recipient=successor.user,
            kind="membership",
            text=f"You are now a host of “{circle.name}”: its only host left the site.",
            url=circle.get_absolute_url(),
            circle=circle,
        )


def _under_open_report(kind: str, ids) -> set[int]:
    return set(
        Flag.objects.filter(
            kind=kind, object_id__in=list(ids), resolved_at__isnull=True
        ).values_list("object_id", flat=True)
    )


def _remove_words(user, *, now) -> None:
    for kind, model in KIND_MODEL.items():
        ids = set(model.objects.filter(author=user).values_list("pk", flat=True))
        held = _under_open_report(kind, ids)
        if held:
            # Kept for staff, hidden from everyone else, erased once resolved.
            model.objects.filter(pk__in=held).update(status=ContentStatus.HIDDEN)
            ErasurePending.objects.bulk_create(
                [ErasurePending(kind=kind, object_id=i) for i in held],
                ignore_conflicts=True,
            )
        _erase(kind, ids - held, now=now)
    Flag.objects.filter(reporter=user, resolved_at__isnull=False).update(note="")


def _erase(kind: str, ids, *, now) -> None:
    ids = list(ids)
    if not ids:
        return
    if kind == "message":
        messages = list(ChatMessage.objects.filter(pk__in=ids))
        ChatMessage.objects.filter(pk__in=ids).update(
            body="",
            body_html="",
            status=ContentStatus.REMOVED,
            removed_reason=GONE_REASON,
            removed_at=now,
        )
        for message in messages:
            realtime.broadcast_on_commit(
                realtime.circle_group(message.circle_id),
                content_events.chat_removed(message, reason=GONE_REASON),
            )
    elif kind == "post":
        posts = list(Post.objects.filter(pk__in=ids).select_related("thread"))
        PostRevision.objects.filter(post__in=ids).delete()
        Post.objects.filter(pk__in=ids).update(
            body="", body_html="", content_warning="", deleted_at=now
        )
        for post in posts:
            realtime.broadcast_on_commit(
                realtime.circle_group(post.thread.circle_id),
                content_events.post_removed(post, reason="Deleted by its author"),
            )
    else:
        for thread in Thread.objects.filter(pk__in=ids).select_related("circle"):
            # Others' notifications quote the title: it goes from them too.
            Notification.objects.filter(
                url__startswith=thread.get_absolute_url(),
                text__contains=thread.title,
            ).update(text="A thread was removed by its author.")
        Thread.objects.filter(pk__in=ids).update(
            title=REMOVED_TITLE, content_warning="", needs=[]
        )
        roots = Post.objects.filter(thread__in=ids, parent=None)
        PostRevision.objects.filter(post__in=roots).delete()
        roots.update(body="", body_html="", content_warning="", deleted_at=now)


def _strip(user, *, now) -> None:
    user.username = f"deleted-{uuid.uuid4().hex}"
    user.display_name = f"{FORMER} ({secrets.token_hex(3)})"
    user.email = ""
    user.email_verified_at = None
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.notify, user.time_zone, user.quiet_hours = {}, "", ""
    user.allow_messages = "none"
    user.deleted_at = now
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def erasure_finish_resolved(*, now=None) -> int:
    """Erase a deleted account's words whose reports have all been resolved."""
    now = now or timezone.now()
    done = 0
    for pending in ErasurePending.objects.order_by("id")[:500]:
        if _under_open_report(pending.kind, [pending.object_id]):
            continue
        with transaction.atomic():
            if not ErasurePending.objects.filter(pk=pending.pk).delete()[0]:
                continue  # another worker took it
            _erase(pending.kind, [pending.object_id], now=now)
        done += 1
    return done
