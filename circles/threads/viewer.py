"""Who reads a thread page, and the small strings each post repeats for them.

`Viewer` is what the page asks once about the reader; the helpers here format times
and names once a page (see `_once`) so that building each post costs
little. `render.py` builds the posts from these.
"""

from dataclasses import dataclass, field
from datetime import UTC
from html import escape

from django.utils import timezone

from ..models import ContentStatus


def e(value) -> str:
    return escape(str(value), quote=True)


@dataclass
class Viewer:
    """What the page knows about the person reading it, asked once."""

    user_id: int | None
    slug: str
    thread: object
    can_post: bool = False
    can_reply: bool = (
        False  # permissions.can_reply_to_thread: posts may, the thread is open
    )
    can_moderate: bool = False
    ignored_ids: frozenset = frozenset()
    seen_at: object = None  # their previous visit; posts after it are "new"
    new_ids: set = field(default_factory=set)
    reactions: dict = field(default_factory=dict)  # post id -> counts and mine
    heard: bool = False  # a listen-only asker sees "N people heard you"
    saved: frozenset = frozenset()  # ("post", id) the reader saved
    country: str = ""  # whose support lines a collapsed post offers the reader
    # Post id -> the level its words raised (sensitive.sensitive_levels), asked once
    # a page for the posts it shows: `danger` collapses, any level takes no reactions.
    sensitive: dict = field(default_factory=dict)
    sensitive_asked: set = field(default_factory=set)
    # Strings every post of a page repeats, escaped once (see `_once`).
    memo: dict = field(default_factory=dict)


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _when(value, zone=None) -> str:
    """As the template filter `date:"j M, H:i"` wrote it, without its per-call cost."""
    local = value.astimezone(zone or timezone.get_current_timezone())
    return f"{local.day} {MONTHS[local.month - 1]}, {local.hour:02d}:{local.minute:02d}"


def _time(value, zone=None) -> str:
    u = value.astimezone(UTC)  # written out: strftime costs more than the rest
    stamp = (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T"
        f"{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"
    )
    return f'<time datetime="{stamp}">{_when(value, zone)}</time>'


def _once(viewer: Viewer, key, make):
    """`make()` for this page, computed the first time a post asks for it."""
    found = viewer.memo.get(key)
    if found is None:
        found = viewer.memo[key] = make()
    return found


def _zone(viewer: Viewer):
    return _once(viewer, "zone", timezone.get_current_timezone)


def _label(post, viewer: Viewer) -> str:
    """author_label(post), escaped, once a name a page."""
    if post.deleted_at:
        return "A reply"
    name = post.author.display_name
    return _once(viewer, ("name", name), lambda: e(name))


def author_label(post) -> str:
    """The name a post is shown under: never the name on a deleted post."""
    return "A reply" if post.deleted_at else post.author.display_name


def answers_label(parent, viewer: Viewer) -> str:
    """Whom a reply answers, in words that reveal no more than the parent shows."""
    if parent is None:
        return "an earlier reply"
    if parent.deleted_at:
        return "a deleted reply"
    if parent.status == ContentStatus.REMOVED and not viewer.can_moderate:
        return "a removed reply"
    if parent.status != ContentStatus.VISIBLE and not (
        viewer.can_moderate or parent.author_id == viewer.user_id
    ):
        return "a reply under review"
    return parent.author.display_name


def is_new(post, viewer: Viewer) -> bool:
    """Written by someone else since the reader's last visit (see thread_outline)."""
    return post.pk in viewer.new_ids
