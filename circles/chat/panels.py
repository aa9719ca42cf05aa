"""The chat panel on the circle page."""

from community.helplines import country_of
from moderation.safety.cases import alert_audience
from moderation.safety.crisis import sensitive_context, sensitive_html
from moderation.safety.selectors import (
    ignored_user_ids,
    items_held_by,
    people_held_by,
)

from .. import permissions
from ..chat_html import ignored_html
from ..chat_message import PageReader, page_html
from ..models import REMOVED_PUBLIC_TEXT
from .selectors import chat_messages


def chat_panel(request, circle) -> dict:
    """Context for the chat panel: the latest page of messages, drawn by the server
    for this reader (circles/chat_message.py) so the page is useful before the
    socket opens, and the folds the chat script puts around live messages."""
    target = request.GET.get("message", "")
    if target.isascii() and target.isdigit() and len(target) < 19:
        # A link to one message (search, saved items): the page around it; the
        # socket's catch-up (?after=) then brings everything since.
        recent = chat_messages(circle=circle, before=int(target) + 1, limit=25)
        recent += chat_messages(circle=circle, after=int(target), limit=25)
    else:
        recent = chat_messages(circle=circle, limit=50)
    user = request.user
    ignored = sorted(ignored_user_ids(user=user))
    keeper = permissions.can_moderate_circle(user, circle)
    # Only a host or moderator holds cases (and may care): nobody else is asked.
    care_ids = (
        items_held_by(circle=circle, holder=user, kind="message") if keeper else set()
    )
    reader = PageReader(
        user_id=user.pk,
        keeper=keeper,
        ignored_ids=frozenset(ignored),
        care_ids=frozenset(care_ids),
    )
    # Words that raised `danger` reach other members collapsed, with these lines.
    sensitive = sensitive_context(country=country_of(user))
    html = page_html(
        request,
        circle,
        recent,
        reader,
        can_post=permissions.can_post_in_circle(user, circle),
        sensitive=sensitive,
    )
    return {
        "chat_messages": recent,
        "chat_html": html,
        "chat_last_id": recent[-1].pk if recent else 0,
        "removed_text": REMOVED_PUBLIC_TEXT,
        "chat_ignored_ids": ignored,
        # The words of people whose case this viewer holds offer care in place.
        "chat_care_authors": sorted(people_held_by(circle=circle, holder=user))
        if keeper
        else [],
        # What the chat script wraps live messages in, as the page draws them.
        "chat_ignored_fold": ignored_html("", ""),
        "chat_sensitive_fold": sensitive_html(
            "", sensitive=sensitive, body_class="chat-body"
        ),
        # Whom "I'm not OK" tells, said truly beside its button.
        "not_ok_audience": alert_audience(circle=circle, person=user)
        if user.is_authenticated
        else "moderators",
    }
