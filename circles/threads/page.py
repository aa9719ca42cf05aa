"""What a thread page shows: which part of a long thread, rendered how, for whom.
A constant number of queries whatever the thread's length or depth: its shape and,
for a thread shown whole, its posts (one); for a long thread, the posts of the part
shown (one more); moderators' edit history (one more); the reader's last visit comes
with the thread."""

import json
from dataclasses import dataclass

from community.helplines import country_of
from community.resources.panels import thread_sidebar_context
from moderation.safety import sensitive
from moderation.safety.selectors import ignored_user_ids

from ..memberships import selectors as membership_selectors
from ..models import REMOVED_PUBLIC_TEXT, Thread
from ..permissions import can_reply_to_thread, is_public
from ..reactions import selectors as reaction_selectors
from ..saved import selectors as saved_selectors
from . import selectors
from .render import Viewer, render_posts
from .tree import Outline

# The names a post's reaction line uses, for static/js/thread.js to redraw it live.
REACTION_LABELS = json.dumps(reaction_selectors.LABELS)


@dataclass
class Part:
    number: int
    count: int
    html: str
    shown: int  # replies of this part
    first: int | None  # the first reply's id
    next_size: int = 0  # replies in the next part
    whole: bool = False  # every post of the thread


def _reactions(user, thread, post=None) -> dict:
    """Every reaction count of the thread (or of the one `post` a menu or a live
    update is about), and a listen-only asker's "heard": one query (none for
    visitors)."""
    if not user.is_authenticated:
        return {}
    if post is not None:
        entries = reaction_selectors.counts_for(kind="post", ids=[post.pk], user=user)
    else:
        entries = reaction_selectors.counts_in_scope(
            kind="post", scope_id=thread.pk, from_id=0, user=user
        )
    listen_only = thread.is_ask and thread.reply_norm == Thread.ReplyNorm.LISTEN_ONLY
    return {"reactions": entries, "heard": listen_only and thread.author_id == user.pk}


def make_viewer(
    request, circle, thread, viewer_ctx: dict, *, post=None, **extra
) -> Viewer:
    """The reader of `thread`; with `post`, of that post alone (its reactions
    only, and whether its words raised a crisis level)."""
    user = request.user
    extra = {**_reactions(user, thread, post), **extra}
    # Read once a request: the thread's own Save button (saved_tags) shares it.
    keys = getattr(request, "_saved_keys", None)
    if keys is None:
        keys = request._saved_keys = saved_selectors.saved_keys(user=user)
    extra.setdefault("saved", frozenset(keys))
    viewer = Viewer(
        user_id=user.pk if user.is_authenticated else None,
        slug=circle.slug,
        thread=thread,
        can_post=viewer_ctx["can_post"],
        can_reply=can_reply_to_thread(user, thread),
        can_moderate=viewer_ctx["can_moderate"],
        ignored_ids=frozenset(ignored_user_ids(user=user)),
        country=country_of(user),
        **extra,
    )
    if post is not None:
        viewer.sensitive.update(sensitive.sensitive_levels("post", [post.pk]))
        viewer.sensitive_asked.add(post.pk)
    return viewer


def requested_part(request, shape: Outline) -> int:
    """`?post=<id>` asks for the part that holds that post; `?part=<n>` for a part."""
    post = request.GET.get("post", "")
    if post.isascii() and post.isdigit():
        found = shape.part_of(int(post))
        if found is not None:
            return found
    part = request.GET.get("part", "")
    if part.isascii() and part.isdigit():
        return min(int(part), shape.parts - 1)
    return 0


def render_part(shape: Outline, number: int, viewer: Viewer, *, context: bool) -> Part:
    """One part of the thread as HTML; with `context`, headed by the opening post and
    the ancestors that its replies nest in (a page); without, bare (a fragment)."""
    places = shape.part(number)
    if context:
        places = (
            shape.with_context(number) if number else shape.order[: 1 + len(places)]
        )
    whole = len(places) == len(shape.order)
    # The parents too: a reply beside its parent says whom it answers.
    ids = {p.id for p in places} | {p.parent_id for p in places if p.flattened}
    posts = selectors.posts_by_id(
        thread=viewer.thread,
        ids=None if whole else ids,
        with_revisions=viewer.can_moderate,
        rows=shape.posts if whole else None,
    )
    if whole:  # the levels of every post, asked without sending 500 ids
        viewer.sensitive.update(
            sensitive.sensitive_levels("post", selectors.post_ids(viewer.thread))
        )
        viewer.sensitive_asked.update(posts)
    following = shape.part(number + 1)
    return Part(
        number=number,
        count=shape.parts,
        whole=whole,
        html=render_posts(places, posts, viewer),
        shown=len(shape.part(number)),
        first=places[0].id if places else None,
        next_size=len(following),
    ), posts


def _title_for(thread, shape, viewer, viewer_ctx, user) -> str:
    """The title as lists and search show it: opening words that raised a crisis
    level are not quoted to other members; their author and keepers see it."""
    if not shape.order or viewer_ctx["can_moderate"]:
        return thread.title
    if user.is_authenticated and thread.author_id == user.pk:
        return thread.title
    root_id = shape.order[0].id
    if root_id in viewer.sensitive_asked:  # asked already for the page's posts
        raised = root_id in viewer.sensitive
    else:
        raised = bool(sensitive.sensitive_levels("post", [root_id]))
    return sensitive.SENSITIVE_TITLE if raised else thread.title


def thread_page_context(request, circle, thread) -> dict:
    viewer_ctx = membership_selectors.viewer_context(user=request.user, circle=circle)
    seen_at = selectors.last_seen(thread=thread, user=request.user)
    shape = selectors.thread_outline(
        thread=thread,
        seen_at=seen_at,
        user=request.user,
        can_moderate=viewer_ctx["can_moderate"],
        with_posts=True,
    )
    new_ids = shape.new_ids
    viewer = make_viewer(
        request,
        circle,
        thread,
        viewer_ctx,
        seen_at=seen_at,
        new_ids=set(new_ids),
    )
    number = requested_part(request, shape)
    part, posts = render_part(shape, number, viewer, context=True)
    root = posts.get(shape.order[0].id) if shape.order else None
    # Only words everyone may read choose the sidebar (its ranking is shared).
    ordered = [p.body for p in posts.values() if is_public(p)]
    return {
        "circle": circle,
        "thread": thread,
        "thread_title": _title_for(thread, shape, viewer, viewer_ctx, request.user),
        "root": root,
        "posts_html": part.html,
        "post_ids": list(posts),
        "part": part,
        "new_ids": new_ids,
        "first_new": new_ids[0] if new_ids else None,
        "seen_at": seen_at,
        "can_reply": viewer.can_reply,
        "removed_text": REMOVED_PUBLIC_TEXT,
        "reaction_labels": REACTION_LABELS,
        "is_asker": request.user.is_authenticated
        and thread.author_id == request.user.pk,
        **viewer_ctx,
        **thread_sidebar_context(thread=thread, texts=ordered),
    }
