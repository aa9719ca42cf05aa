"""One chat message as HTML, built in Python: the one drawing for the circle page and
for live frames, from the same `MessageView` (circles/chat_message.py decides it),
so Save, Flag, reactions and Remove sit in the same order after a reload as when the
message arrived.

As circles/threads/render.py does for posts: every string from people is escaped
here (`e()`, quotes included, as Django's `escape` does, without its per-call cost);
`body_html` is printed as stored because it was sanitised when it was written. What
every message of a page (or of a frame) repeats is made once, in its `Frame`: the
CSRF input, the reader's reactions and saved items, each author's name escaped
once, and the circle's URLs, reversed with a stand-in id that each message replaces
with its own (kept across frames: a live frame draws one message). The reaction
bar is circles/reactions/bar.py's, the Save button circles/saved/button.py's, the
collapsed words moderation/safety/crisis.py's, the time `when(value, "clock")`'s
(the `|when` filter's function).

A live frame goes to the whole circle at once: controls that differ per reader
carry `data-only` tokens (`author`, `others`, `keeper`, `holder`, `reactor`,
`onlooker`, all of which must hold) and forms carry no CSRF token; static/js/chat.js
keeps the controls that fit its reader and puts in the page's token."""

from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from community.templatetags.when import when
from moderation.safety.crisis import sensitive_html
from moderation.safety.sensitive import reactable

from .models import ContentStatus
from .reactions.bar import reaction_bar_html
from .saved.button import save_button_html


def e(value) -> str:
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class MessageView:
    """What is drawn for one message (circles/chat_message.py: page_view, live_view).
    `body`: plain, collapsed (sensitive words) or ignored."""

    tombstone: str = ""
    tag: str = ""
    body: str = "plain"
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


_PK = 2_147_483_647  # stands for the message's id in a URL reversed once

# The URLs a message needs, by name.
_URLS = {
    "react": ("circles:react", "slug"),
    "reactors": ("circles:reactors", "slug kind item_id"),
    "care": ("moderation:care", "kind object_id"),
    "remove": ("moderation:action", "kind object_id action"),
    "flag": ("moderation:flag", ""),
    "saved": ("saved:list", ""),
    "detail": ("circles:detail", "slug"),
}


@lru_cache(maxsize=512)
def _reversed(name: str, slug: str, urlconf: str, prefix: str) -> tuple[str, str]:
    """`reverse()` of URL `name` split around the stand-in id, not escaped. A live
    frame draws one message, so this is kept across frames (a circle's URLs are
    fixed while the URLconf and the script prefix, part of the key, are)."""
    view, params = _URLS[name]
    given = {"slug": slug, "kind": "message", "action": "remove"}
    kwargs = {p: given.get(p, _PK) for p in params.split()}
    url = reverse(view, kwargs=kwargs, urlconf=urlconf)
    if _PK not in kwargs.values():
        return url, ""
    before, _, after = url.rpartition(str(_PK))
    return before, after


@dataclass
class Frame:
    """What every message drawn for one reader (a page) or for everyone (a live
    frame) shares, made once. For a page: whether its reader is signed in (a
    visitor gets no reactions and no Save), may react, their reactions
    (`reactions`: id -> counts and mine) and saved items, where Save leads back
    (the page's own address) and the support lines of collapsed words."""

    slug: str
    live: bool = False
    csrf_input: str = ""
    signed_in: bool = False
    reader_id: int | None = None
    can_react: bool = False
    reactions: dict = field(default_factory=dict)
    saved: frozenset = frozenset()
    save_next: str = ""
    sensitive: dict | None = None
    memo: dict = field(default_factory=dict)

    def url(self, name: str, pk="") -> str:
        """The URL `name` (for message `pk`), escaped."""
        halves = self.memo.get(name)
        if halves is None:
            before, after = self._reversed(name)
            halves = self.memo[name] = (e(before), e(after))
        return f"{halves[0]}{pk}{halves[1]}"

    def back(self, pk) -> str:
        """Where a message's forms lead back: the message in its place on the
        circle page (`message_url`), not escaped."""
        detail = self.memo.get("back")
        if detail is None:
            detail = self.memo["back"] = self._reversed("detail")[0]
        return f"{detail}?message={pk}"

    def _reversed(self, name: str) -> tuple[str, str]:
        where = self.memo.get("where")
        if where is None:
            urlconf = get_urlconf() or settings.ROOT_URLCONF
            where = self.memo["where"] = (urlconf, get_script_prefix())
        return _reversed(name, self.slug, *where)

    def name(self, message) -> str:
        """The author's display name, escaped once a frame."""
        key = ("name", message.author_id)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = e(message.author.display_name)
        return found


def ignored_html(name: str, body: str) -> str:
    """Words of someone the reader chose to ignore: folded, with nothing but "show"
    (no reactions, save, flag or remove). `name` escaped; the chat script's
    <template> is this with no name and no words."""
    return (
        '<details class="ignored"><summary>You chose to hide what '
        f'<span class="ignored-name">{name}</span> writes</summary>'
        f'<div class="chat-body">{body}</div></details>'
    )


def message_html(m, v: MessageView, frame: Frame) -> str:
    """One message as `v` says, for `frame`'s reader (or every reader, live)."""
    pk, status = m.pk, str(m.status)
    classes = "chat-msg"
    if status != ContentStatus.VISIBLE:
        classes += f" chat-msg-{status}"
    if v.tombstone and status != ContentStatus.REMOVED:
        classes += " chat-msg-removed"
    head = f'<li class="{classes}" data-message-id="{pk}" data-seq="{m.seq}"'
    if not v.tombstone:
        head += f' data-author-id="{m.author_id}"'
    head += f' data-reactable="{"1" if v.reactable else "0"}"'
    if v.live:
        head += ' data-live="1"'
    if v.tombstone:
        return f'{head}><p class="chat-tombstone">{e(v.tombstone)}</p></li>'
    name = frame.name(m)
    meta = f'<span class="chat-author">{name}</span> {when(m.created_at, "clock")}'
    if v.tag:
        cared = " cared-tag" if status == ContentStatus.CARED else ""
        meta += f' <span class="tag{cared}">{e(v.tag)}</span>'
    if v.body == "collapsed":
        body = sensitive_html(
            m.body_html, sensitive=frame.sensitive, body_class="chat-body"
        )
    elif v.body == "ignored":
        body = ignored_html(name, m.body_html)
    else:
        body = f'<div class="chat-body">{m.body_html}</div>'
    controls = _controls(m, v, frame, name) if v.controls else ""
    return f'{head}><p class="chat-meta">{meta}</p>{body}{controls}</li>'


def _controls(m, v: MessageView, frame: Frame, name: str) -> str:
    pk, live = m.pk, v.live
    out = _bars(m, frame) + _save(m, frame, name)
    back = e(frame.back(pk))
    if v.care:
        out += (
            f'<form method="post" action="{frame.url("care", pk)}" '
            f'class="inline-form chat-care" data-care-message="{pk}"'
            f"{_only(live, 'holder')}>{frame.csrf_input}"
            f'<input type="hidden" name="next" value="{back}">'
            '<button type="submit" class="secondary" title="Only for words that '
            'describe a method or means of self-harm, never for feelings.">Care: '
            'move out of others\' view<span class="visually-hidden"> (message from '
            f"{name})</span></button></form>"
        )
    if v.flag:
        out += (
            f'<a class="chat-flag" href="{frame.url("flag")}?kind=message&amp;id={pk}"'
            f"{_only(live, 'others')}>Flag<span "
            f'class="visually-hidden"> message from {name}</span></a>'
        )
    if v.remove:
        out += _remove(pk, live, frame, name, back)
    return f'<div class="chat-controls">{out}</div>'


def _only(live: bool, tokens: str) -> str:
    """A live control's readers (static/js/chat.js keeps it when all hold)."""
    return f' data-only="{tokens}"' if live else ""


def _remove(pk, live: bool, frame: Frame, name: str, back: str) -> str:
    """Remove, for a host or moderator, on words that raised no crisis level. The
    reason is theirs to type: never pre-filled."""
    return (
        f'<details class="chat-remove"{_only(live, "keeper")}>'
        f'<summary>Remove<span class="visually-hidden"> message from {name}</span>'
        f'</summary><form method="post" action="{frame.url("remove", pk)}" '
        f'class="stack-form chat-remove-form" data-remove-message="{pk}" novalidate>'
        f'{frame.csrf_input}<input type="hidden" name="next" value="{back}">'
        f'<label for="remove-reason-{pk}">Why remove this message from {name}?'
        f'</label><textarea id="remove-reason-{pk}" name="reason" rows="2" '
        f'maxlength="500" aria-describedby="remove-help-{pk}"></textarea>'
        f'<small class="help" id="remove-help-{pk}">{name} is told your reason '
        "privately; everyone else sees only “Removed by the circle's moderators”."
        '</small><button type="submit" class="small danger">Remove it<span '
        f'class="visually-hidden"> (message from {name})</span></button></form>'
        "</details>"
    )


# A live message's bars, one per kind of reader (static/js/chat.js keeps the one
# that fits): its author sees counts, others react, or only see counts when they
# may not post. A new message has no reactions yet; forms get the page's token.
_LIVE_BARS = (
    ("author", False, "your message"),
    ("others reactor", True, None),
    ("others onlooker", False, None),
)


def takes_reactions(m) -> bool:
    """Not words others may not see yet, nor words that raised a crisis level."""
    return m.status == ContentStatus.VISIBLE and reactable(
        getattr(m, "sensitive_level", "")
    )


def _bars(m, frame: Frame) -> str:
    """The reaction bar (`takes_reactions`); read-only counts on one's own words."""
    if not takes_reactions(m):
        return ""
    pk = m.pk
    bar = {
        "kind": "message",
        "item": m,
        "slug": frame.slug,
        "next_url": frame.back(pk),
        "react_url": frame.url("react"),
        "who_url": frame.url("reactors", pk),
        "csrf_input": frame.csrf_input,
    }
    theirs = f"message from {m.author.display_name}"
    if frame.live:
        return "".join(
            reaction_bar_html(
                **bar, entry=None, can_react=can, label=label or theirs, only=only
            )
            for only, can, label in _LIVE_BARS
        )
    if not frame.signed_in:
        return ""
    own = m.author_id == frame.reader_id
    return reaction_bar_html(
        **bar,
        entry=frame.reactions.get(pk),
        can_react=not own and frame.can_react,
        label="your message" if own else theirs,
    )


def _save(m, frame: Frame, name: str) -> str:
    """Save, named for a screen reader; in a live message unsaved, leading back to
    the message (a page's leads back to the page)."""
    if not (frame.live or frame.signed_in):
        return ""
    return save_button_html(
        action=frame.url("saved"),
        kind="message",
        pk=m.pk,
        next_url=frame.save_next or frame.back(m.pk),
        csrf_input=frame.csrf_input,
        saved=("message", m.pk) in frame.saved,
        label=f"message from {m.author.display_name}",
    )
