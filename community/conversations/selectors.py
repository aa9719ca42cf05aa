"""Reads for private conversations, each in a fixed number of queries."""

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from circles import permissions
from community.person_cache import PersonCache

from .errors import DMRefused
from .models import Conversation, DirectMessage, DirectMessageReport

HISTORY_PAGE = 50
NEIGHBOURS = 3  # messages before and after a reported one that staff may read
NOT_FOUND = "There is no such conversation, or it is not yours to see."


def not_found() -> DMRefused:
    return DMRefused("not_found", NOT_FOUND, status=404)


def _mine(user):
    return Q(starter_id=user.pk) | Q(recipient_id=user.pk)


def conversations_of(*, user, limit: int = 200) -> list[dict]:
    """My conversations, the latest first, with the other person and an unread mark
    (one query)."""
    rows = (
        Conversation.objects.filter(_mine(user))
        .exclude(last_message_id=0)
        .select_related("starter", "recipient", "circle")
        .order_by("-last_message_at", "-id")[:limit]
    )
    return [
        {
            "conversation": c,
            "other": c.other(user),
            "unread": c.unread_for(user),
            "is_check_in": c.kind == Conversation.Kind.CHECK_IN,
        }
        for c in rows
    ]


def _unread(user_id: int) -> int:
    return Conversation.objects.filter(
        Q(starter_id=user_id, last_message_id__gt=F("starter_read_id"))
        | Q(recipient_id=user_id, last_message_id__gt=F("recipient_read_id"))
    ).count()


# Every page's header shows it: kept in the shared cache; `dm_send` and
# `conversation_mark_read`, the only writes that move a message or a read mark,
# forget it for the people they change.
UNREAD = PersonCache("conversations:unread", _unread)


def unread_count(*, user) -> int:
    """Conversations with a message I have not read (from the cache, else one
    query)."""
    if not user.is_authenticated:
        return 0
    return UNREAD.get(user.pk)


def conversation_for(*, user, conversation_id) -> Conversation:
    """The conversation if `user` is one of its two people; otherwise exactly the
    answer for a missing id."""
    if not user.is_authenticated or not isinstance(conversation_id, int):
        raise not_found()
    conversation = (
        Conversation.objects.filter(_mine(user), pk=conversation_id)
        .select_related("starter", "recipient", "circle", "closed_by")
        .first()
    )
    if conversation is None:
        raise not_found()
    return conversation


def conversation_messages(
    *, conversation, after: int | None = None, before: int | None = None, limit=None
) -> list[DirectMessage]:
    """Messages oldest first: all of them, or a page after / before a message id."""
    qs = DirectMessage.objects.filter(conversation=conversation).select_related(
        "author"
    )
    if after is not None:
        qs = qs.filter(pk__gt=after).order_by("seq")
    elif before is not None:
        qs = qs.filter(pk__lt=before).order_by("-seq")
    else:
        qs = qs.order_by("seq")
    if limit is not None:
        qs = qs[:limit]
    messages = list(qs)
    if before is not None:
        messages.reverse()
    return messages


def messages_after(*, user, after: int, limit: int = HISTORY_PAGE) -> list:
    """Catch-up for `/ws/me/`: my messages in every conversation after a dm id."""
    mine = Conversation.objects.filter(_mine(user)).values("id")
    return list(
        DirectMessage.objects.filter(conversation_id__in=mine, pk__gt=after)
        .select_related("author")
        .order_by("pk")[:limit]
    )


def lines_recent(*, conversation, author, minutes: int, limit: int) -> list[str]:
    """The words of `author`'s last `limit` messages in `conversation` from the last
    `minutes`, oldest first: what the crisis net reads a new line after."""
    since = timezone.now() - timedelta(minutes=minutes)
    recent = (
        DirectMessage.objects.filter(
            conversation=conversation, author=author, created_at__gte=since
        )
        .order_by("-seq")
        .values_list("body", flat=True)[:limit]
    )
    return list(reversed(recent))


def staff_queue(*, user) -> list[dict]:
    """Open reports and crisis alerts, each with only its message and a few
    neighbours (three queries whatever the length)."""
    if not permissions.is_staff(user):
        raise not_found()
    reports = list(
        DirectMessageReport.objects.filter(resolved_at__isnull=True)
        .select_related("message", "message__author", "reporter")
        .order_by("created_at", "id")[:100]
    )
    if not reports:
        return []
    window = Q()
    for report in reports:
        m = report.message
        window |= Q(
            conversation_id=m.conversation_id,
            seq__gte=m.seq - NEIGHBOURS,
            seq__lte=m.seq + NEIGHBOURS,
        )
    nearby = DirectMessage.objects.filter(window).select_related("author")
    by_conversation: dict[int, list[DirectMessage]] = {}
    for message in nearby.order_by("conversation_id", "seq"):
        by_conversation.setdefault(message.conversation_id, []).append(message)
    rows = []
    for report in reports:
        m = report.message
        rows.append(
            {
                "report": report,
                "message": m,
                "around": [
                    n
                    for n in by_conversation.get(m.conversation_id, [])
                    if abs(n.seq - m.seq) <= NEIGHBOURS
                ],
            }
        )
    return rows
