"""Chat reads: pages of messages and who is here now."""

from datetime import timedelta

from django.utils import timezone

from moderation.safety.sensitive import annotate

from ..models import ChatMessage, ChatPresence, Circle


def chat_circle(*, slug: str) -> Circle | None:
    """The circle of a socket's URL, or None; the consumer asks permission after
    joining its groups."""
    return Circle.objects.filter(slug=slug).first()


def chat_messages(
    *,
    circle: Circle,
    after: int | None = None,
    before: int | None = None,
    limit: int = 50,
) -> list:
    """Up to `limit` messages of `circle`, oldest first: the page after `after`, the
    page before `before`, or the latest page. Ids are only bounds: an id from another
    circle reveals nothing. Each carries `sensitive_level` (one more query)."""
    messages = ChatMessage.objects.filter(circle=circle).select_related("author")
    # Each message draws itself for live frames (circles/chat_message.py), which
    # needs its circle: the one asked for, not a query per message.
    if after is not None:
        page = list(messages.filter(id__gt=after).order_by("seq")[:limit])
    else:
        if before is not None:
            messages = messages.filter(id__lt=before)
        page = list(reversed(messages.order_by("-seq")[:limit]))
    for message in page:
        message.circle = circle
    return annotate("message", page)


def chat_lines_recent(*, author, circle: Circle, minutes: int, limit: int) -> list[str]:
    """The words of `author`'s last `limit` messages in `circle` from the last
    `minutes`, oldest first: what the crisis net reads a new line after (a thought
    split over several lines). One query, an index range on (circle, author,
    created_at)."""
    since = timezone.now() - timedelta(minutes=minutes)
    recent = (
        ChatMessage.objects.filter(circle=circle, author=author, created_at__gte=since)
        .order_by("-created_at")
        .values_list("body", flat=True)[:limit]
    )
    return list(reversed(recent))


def chat_present_names(*, circle: Circle) -> list[str]:
    """Display names of members with an open chat socket here, on any process."""
    fresh = timezone.now() - timedelta(seconds=PRESENCE_STALE_SECONDS)
    names = (
        ChatPresence.objects.filter(circle=circle, seen_at__gte=fresh)
        .values_list("user__display_name", flat=True)
        .distinct()
    )
    return sorted(set(names), key=str.casefold)


PRESENCE_STALE_SECONDS = 180
