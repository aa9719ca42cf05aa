"""The chat panel on the circle page."""

from community.helplines import country_of
from moderation.safety.crisis import sensitive_context
from moderation.safety.selectors import (
    ignored_user_ids,
    items_held_by,
    people_held_by,
)
from moderation.safety.sensitive import COLLAPSED_LEVELS

from ..models import REMOVED_PUBLIC_TEXT
from .selectors import chat_messages


def chat_panel(request, circle) -> dict:
    """Context for the chat panel: the latest page of messages, rendered by the
    server so the page is useful before the socket opens."""
    target = request.GET.get("message", "")
    if target.isascii() and target.isdigit() and len(target) < 19:
        # A link to one message (search, saved items): the page around it; the
        # socket's catch-up (?after=) then brings everything since.
        recent = chat_messages(circle=circle, before=int(target) + 1, limit=25)
        recent += chat_messages(circle=circle, after=int(target), limit=25)
    else:
        recent = chat_messages(circle=circle, limit=50)
    return {
        "chat_messages": recent,
        "chat_last_id": recent[-1].pk if recent else 0,
        "removed_text": REMOVED_PUBLIC_TEXT,
        "chat_ignored_ids": sorted(ignored_user_ids(user=request.user)),
        # Words that raised `danger` reach other members collapsed (per viewer).
        "chat_collapsed_levels": COLLAPSED_LEVELS,
        # The words of people whose case this viewer holds offer care in place.
        "chat_care_ids": items_held_by(
            circle=circle, holder=request.user, kind="message"
        ),
        "chat_care_authors": sorted(people_held_by(circle=circle, holder=request.user)),
        "sensitive": sensitive_context(country=country_of(request.user)),
    }
