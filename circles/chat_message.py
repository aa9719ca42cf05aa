"""One chat message as HTML: `templates/circles/_chat_message.html` draws it for the
circle page and for the live frames alike, so Save, Flag, reactions and Remove sit in
the same order after a reload as when the message arrived.

The page knows its reader and decides everything here (`page_view`). A live frame
goes to the whole circle at once ("per-viewer views are never cached as one"), so
`live_view` draws the message for nobody in particular: every control that differs
per reader carries `data-only` (`author`, `others`, `keeper`, `holder`, `reactor`,
`onlooker`, all of which must hold) and static/js/chat.js keeps only those that fit
its reader, collapses words that raised `danger` and folds away ignored people's
words the way the page does. Forms in a live message carry no CSRF token; the
script puts in the page's own."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from moderation.safety.sensitive import COLLAPSED_LEVELS

from .models import ContentStatus

CARED_TAG = "Moved out of other members' view"
REMOVABLE = (ContentStatus.VISIBLE, ContentStatus.HIDDEN, ContentStatus.HELD)


@dataclass(frozen=True)
class MessageView:
    """What the partial draws for one message. `only` maps a control to its
    `data-only` tokens (live frames only)."""

    tombstone: str = ""
    tag: str = ""
    body: str = "plain"  # plain, collapsed (sensitive words), ignored
    controls: bool = True
    care: bool = False
    flag: bool = True
    remove: bool = False
    live: bool = False
    own: bool = False

    @property
    def reactable(self) -> bool:
        return not self.tombstone and self._reactable

    _reactable: bool = True


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
    """The partial for a live frame: needs the message's author and circle loaded
    (no query runs while it is drawn, so a socket may call it)."""
    return render_to_string(
        "circles/_chat_message.html",
        {
            "m": message,
            "v": live_view(message, for_author=for_author),
            "circle": message.circle,
            "chat_live": True,
        },
    ).strip()
