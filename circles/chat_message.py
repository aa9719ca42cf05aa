"""What one chat message shows, for the circle page and for live frames alike:
circles/chat_html.py draws it from the `MessageView` decided here, so Save, Flag,
reactions and Remove sit in the same order after a reload as when the message
arrived.

The page knows its reader and decides everything here (`page_view`). A live frame
goes to the whole circle at once ("per-viewer views are never cached as one"), so
`live_view` draws the message for nobody in particular: every control that differs
per reader carries `data-only` (`author`, `others`, `keeper`, `holder`, `reactor`,
`onlooker`, all of which must hold) and static/js/chat.js keeps only those that fit
its reader, collapses words that raised `danger` and folds away ignored people's
words the way the page does. Forms in a live message carry no CSRF token; the
script puts in the page's own."""

from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

from moderation.safety.sensitive import COLLAPSED_LEVELS

from .chat_html import Frame, MessageView, message_html, takes_reactions
from .http import csrf_input
from .models import ContentStatus
from .reactions.selectors import counts_in_scope
from .saved.selectors import saved_keys

CARED_TAG = "Moved out of other members' view"
REMOVABLE = (ContentStatus.VISIBLE, ContentStatus.HIDDEN, ContentStatus.HELD)


@dataclass(frozen=True)
class PageReader:
    """The circle page's reader, read once for the page (panels.chat_panel)."""

    user_id: int | None
    keeper: bool
    ignored_ids: frozenset
    care_ids: frozenset


def _tag(message) -> str:
    if message.status in (ContentStatus.HELD, ContentStatus.HIDDEN):
        return message.get_status_display()
    if message.status == ContentStatus.CARED:
        return CARED_TAG
    return ""


def page_view(message, reader: PageReader) -> MessageView:
    status = message.status
    own = reader.user_id is not None and message.author_id == reader.user_id
    level = getattr(message, "sensitive_level", "")
    unseen = (
        status == ContentStatus.REMOVED
        or (status == ContentStatus.HIDDEN and not reader.keeper)
        or (status in (ContentStatus.HELD, ContentStatus.CARED))
        and not (reader.keeper or own)
    )
    if unseen:
        return MessageView(tombstone=message.public_status_text, _reactable=False)
    if level in COLLAPSED_LEVELS and not own and not reader.keeper:
        body = "collapsed"
    elif message.author_id in reader.ignored_ids and not own:
        body = "ignored"  # nothing but "show": no reactions, save, flag or remove
    else:
        body = "plain"
    return MessageView(
        tag=_tag(message),
        body=body,
        controls=body != "ignored",
        care=status == ContentStatus.VISIBLE and message.pk in reader.care_ids,
        flag=not own,
        remove=reader.keeper and not level and status in REMOVABLE,
        own=own,
        _reactable=not level,
    )


def live_view(message, *, for_author: bool = False) -> MessageView:
    """The same message for every reader of a live frame; `for_author`: the frame
    goes to its author alone (held words, words moved out of view with care)."""
    status = message.status
    level = getattr(message, "sensitive_level", "")
    seen = status == ContentStatus.VISIBLE or (
        for_author and status in (ContentStatus.HELD, ContentStatus.CARED)
    )
    if not seen:
        return MessageView(
            tombstone=message.public_status_text, live=True, _reactable=False
        )
    return MessageView(
        tag=_tag(message) if status != ContentStatus.VISIBLE else "",
        care=status == ContentStatus.VISIBLE and bool(level),
        remove=not level and status == ContentStatus.VISIBLE,
        live=True,
        _reactable=not level,
    )


def live_html(message, *, for_author: bool = False) -> str:
    """A live frame's message: needs its author and circle loaded (no query runs
    while it is drawn, so a socket may call it)."""
    view = live_view(message, for_author=for_author)
    return message_html(message, view, Frame(slug=message.circle.slug, live=True))


def page_html(
    request, circle, messages: list, reader: PageReader, *, can_post: bool, sensitive
) -> str:
    """The circle page's messages for its reader, in one pass. Their reactions and
    the reader's saved items are read once (none when no message shows them)."""
    views = [page_view(m, reader) for m in messages]
    user = request.user
    frame = Frame(
        slug=circle.slug,
        csrf_input=csrf_input(get_token(request)),
        signed_in=user.is_authenticated,
        reader_id=user.pk,
        can_react=can_post,
        save_next=request.get_full_path(),
        sensitive=sensitive,
    )
    if frame.signed_in:
        barred = [
            m.pk
            for m, v in zip(messages, views, strict=True)
            if v.controls and not v.tombstone and takes_reactions(m)
        ]
        if barred:
            frame.reactions = counts_in_scope(
                kind="message", scope_id=circle.pk, from_id=min(barred), user=user
            )
        if any(v.controls and not v.tombstone for v in views):
            frame.saved = frozenset(saved_keys(user=user))
    return mark_safe(
        "".join(message_html(m, v, frame) for m, v in zip(messages, views, strict=True))
    )
