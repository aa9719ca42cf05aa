"""What a person made in circles, for "export my data" and "delete my account"
(community/accounts/registry.py): memberships, threads, asks, replies and chat
messages. With `remove` their words become tombstones that keep threads' shape and
chat's `seq`; with `keep` they stay under "a former member". Words under an open
report stay for staff until it is resolved, then go too (`sweep`). Mentions of the
person in others' posts are rewritten by a task after commit."""

from django.core.exceptions import ValidationError
from django.db import transaction

from community import realtime
from community.accounts.models import ErasurePending
from community.jobs import tasks
from community.notifications import services as notifications
from community.notifications.models import Notification
from moderation.models import Flag

from . import content_events, permissions
from .memberships import services as membership_services
from .models import (
    AUTHOR_DELETED_TEXT,
    AUTHOR_GONE_REASON,
    ChatMessage,
    ChatPresence,
    CircleUserObjectPermission,
    ContentStatus,
    Membership,
    Post,
    PostRevision,
    Thread,
    ThreadVisit,
)

MODELS = {
    "circles.Membership": ("user",),
    "circles.Thread": ("author",),
    "circles.Post": ("author",),
    "circles.ChatMessage": ("author",),
    "circles.ThreadVisit": ("user",),
    "circles.ChatPresence": ("user",),
    "circles.CircleUserObjectPermission": ("user",),
}
ORDER = 10  # first: leaving passes seats and the host role on
REMOVED_TITLE = Thread.REMOVED_TITLE
KIND_MODEL = {"message": ChatMessage, "post": Post, "thread": Thread}


def _iso(value):
    return value.isoformat() if value else None


def export(*, user) -> dict:
    """A constant number of queries, however much the person wrote."""
    threads = list(
        Thread.objects.filter(author=user).select_related("circle").order_by("id")
    )
    roots = {
        p.thread_id: p
        for p in Post.objects.filter(author=user, parent=None).only("thread_id", "body")
    }
    return {
        "memberships": [
            {
                "circle": m.circle.name,
                "circle_slug": m.circle.slug,
                "role": m.role,
                "state": m.state,
                "joined_at": _iso(m.joined_at),
                "left_at": _iso(m.left_at),
            }
            for m in Membership.objects.filter(user=user)
            .select_related("circle")
            .order_by("id")
        ],
        "threads": [_thread(t, roots.get(t.pk)) for t in threads],
        "asks": [_ask(t) for t in threads if t.is_ask],
        "posts": [
            {
                "id": p.pk,
                "thread": p.thread_id,
                "thread_title": p.thread.title,
                "circle": p.thread.circle.name,
                "circle_slug": p.thread.circle.slug,
                "parent": p.parent_id,
                "body": p.body,
                "created_at": _iso(p.created_at),
                "edited_at": _iso(p.edited_at),
                "deleted_at": _iso(p.deleted_at),
                "status": p.status,
            }
            for p in Post.objects.filter(author=user)
            .exclude(parent=None)
            .select_related("thread__circle")
            .order_by("id")
        ],
        "chat_messages": [
            {
                "id": m.pk,
                "circle": m.circle.name,
                "circle_slug": m.circle.slug,
                "seq": m.seq,
                "body": m.body,
                "created_at": _iso(m.created_at),
                "status": m.status,
            }
            for m in ChatMessage.objects.filter(author=user)
            .select_related("circle")
            .order_by("id")
        ],
    }


def _thread(thread, root) -> dict:
    return {
        "id": thread.pk,
        "circle": thread.circle.name,
        "circle_slug": thread.circle.slug,
        "title": thread.title,
        "kind": thread.kind,
        "body": root.body if root else "",
        "content_warning": thread.content_warning,
        "created_at": _iso(thread.created_at),
        "status": thread.status,
    }


def _ask(thread) -> dict:
    return {
        "thread": thread.pk,
        "title": thread.title,
        "needs": thread.needs,
        "reply_norm": thread.reply_norm,
        "first_reply_at": _iso(thread.first_reply_at),
        "answered_at": _iso(thread.answered_at),
        "helped_post": thread.helped_post_id,
    }


def erase(*, user, content: str, now, former: str) -> None:
    _leave_circles(user)
    ThreadVisit.objects.filter(user=user).delete()
    ChatPresence.objects.filter(user=user).delete()
    CircleUserObjectPermission.objects.filter(user=user).delete()
    if content == "remove":
        _remove_words(user, now=now)
    name = user.display_name
    transaction.on_commit(lambda: _forget_mentions(name, former))


def _forget_mentions(name: str, former: str) -> None:
    tasks.mentions_forget.delay(name=name, former=former)


def _leave_circles(user) -> None:
    """Leave every circle through the membership service (seats are passed on to
    the waitlist); a sole host first hands the role to the longest-standing member."""
    memberships = Membership.objects.filter(user=user).exclude(
        state__in=[Membership.State.LEFT, Membership.State.BANNED]
    )
    for membership in memberships.select_related("circle"):
        circle = membership.circle
        try:
            membership_services.membership_leave(user=user, circle=circle)
        except ValidationError:
            _hand_on_host(circle, leaving=user)
            membership_services.membership_leave(user=user, circle=circle)


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
            removed_reason=AUTHOR_GONE_REASON,
            removed_at=now,
        )
        for message in messages:
            realtime.broadcast_on_commit(
                realtime.circle_group(message.circle_id),
                content_events.chat_removed(message, reason=AUTHOR_DELETED_TEXT),
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
                content_events.post_removed(post, reason=AUTHOR_DELETED_TEXT),
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


def sweep(*, now) -> int:
    """Erase a deleted account's words whose reports have all been resolved."""
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
