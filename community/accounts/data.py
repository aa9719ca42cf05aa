"""Export my data: one JSON document of everything the person made or was sent.
Never anyone else's address, never what others wrote that the person may not see."""

from django.utils import timezone

from circles.models import ChatMessage, Membership, Post, Thread
from community.notifications.models import Notification
from moderation.models import Flag

from . import hooks


def _iso(value):
    return value.isoformat() if value else None


def account_export(*, user) -> dict:
    """A constant number of queries, however much the person wrote."""
    threads = list(
        Thread.objects.filter(author=user).select_related("circle").order_by("id")
    )
    roots = {
        p.thread_id: p
        for p in Post.objects.filter(author=user, parent=None).only("thread_id", "body")
    }
    return {
        "exported_at": _iso(timezone.now()),
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "email_verified": user.email_verified_at is not None,
            "date_joined": _iso(user.date_joined),
            "allow_messages": user.allow_messages,
            "time_zone": user.time_zone,
            "quiet_hours": user.quiet_hours,
            "email_choices": user.notify,
        },
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
        "flags_made": [
            {
                "kind": f.kind,
                "id": f.object_id,
                "circle_slug": f.circle.slug,
                "reason": f.reason,
                "note": f.note,
                "created_at": _iso(f.created_at),
                "resolved": f.resolved_at is not None,
            }
            for f in Flag.objects.filter(reporter=user)
            .select_related("circle")
            .order_by("id")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "text": n.text,
                "url": n.url,
                "created_at": _iso(n.created_at),
                "read": n.read_at is not None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("id")
        ],
        # Private conversations and the like come from their own apps.
        "conversations": [],
        **hooks.export_sections(user=user),
    }


def _thread(thread, root) -> dict:
    return {
        "id": thread.pk,
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
        "needs": thread.needs,
        "reply_norm": thread.reply_norm,
        "first_reply_at": _iso(thread.first_reply_at),
        "answered_at": _iso(thread.answered_at),
        "helped_post": thread.helped_post_id,
    }
