"""A thread's posts as HTML, built in Python in one pass without recursion.

Every string from people is escaped here (`e()` from `viewer.py`: the standard
library's escape, quotes included, as Django's `escape` does, without its per-call
wrapper cost: a thread of 500 posts calls it thousands of times); `body_html` is
printed as stored because it was sanitised when it was written. Each post is an
`<article id="post-<id>">` nested in its parent's element up to MAX_DEPTH levels;
deeper replies sit beside their parent with `data-parent` and a line saying whom
they answer.

A post is kept to what every reader needs: who and when, the words, the reactions
it got, and two links, Reply and More (see `actions.py`). Forms are not repeated per
post: the page holds one reply form that static/js/thread.js moves under the post
being answered, and the post's menu is fetched when opened (`post_menu`); both links
lead to pages that do the same without JavaScript.
"""

from django.urls import reverse
from django.utils.safestring import mark_safe

from moderation.safety import crisis, sensitive

from ..models import REMOVED_PUBLIC_TEXT, ContentStatus
from ..reactions.bar import LABELS_HTML, reaction_bar_html
from ..reactions.selectors import CHOICES, people_count
from .actions import PostActions, post_actions
from .tree import MAX_DEPTH, Place
from .viewer import (
    Viewer,
    _label,
    _once,
    _time,
    _zone,
    answers_label,
    author_label,
    e,
    is_new,
)


def body_html(post, viewer: Viewer) -> str:
    """The words of `post` as this reader may see them (tombstones, holds, care,
    ignore, collapse, content warning)."""
    mine = post.author_id == viewer.user_id
    if post.deleted_at:
        return '<p class="tombstone">Deleted by its author.</p>'
    if post.status == ContentStatus.REMOVED:
        out = f'<p class="tombstone">{REMOVED_PUBLIC_TEXT}.</p>'
        if viewer.can_moderate:
            out += (
                '<details class="mod-only"><summary>Original and reason (moderators '
                f"only)</summary><p>Reason: {e(post.removed_reason or 'none given')}"
                f"</p>{post.body_html}</details>"
            )
        return out
    if post.status == ContentStatus.CARED and not (viewer.can_moderate or mine):
        return f'<p class="tombstone">{e(ContentStatus.CARED.label)}</p>'
    if post.status == ContentStatus.HIDDEN and not viewer.can_moderate:
        return f'<p class="tombstone">{ContentStatus.HIDDEN.label}.</p>'
    if post.status == ContentStatus.HELD and not (viewer.can_moderate or mine):
        return f'<p class="tombstone">{ContentStatus.HELD.label}.</p>'
    out = ""
    if post.status == ContentStatus.HELD:
        out = (
            '<p class="tag">Held for review: only you and the moderators see this '
            "for now.</p>"
        )
    elif post.status == ContentStatus.HIDDEN:
        out = '<p class="tag">Hidden from members while moderators review it.</p>'
    elif post.status == ContentStatus.CARED:
        out = (
            '<p class="tag">Moved out of other members\' view by the moderators: '
            "you still see it.</p>"
        )
    if post.author_id in viewer.ignored_ids:
        return out + (
            '<details class="ignored"><summary>You chose to hide what '
            f"{e(post.author.display_name)} writes</summary>{post.body_html}</details>"
        )
    if sensitive.collapsed_for(
        viewer.sensitive.get(post.pk, "")
    ) and not sensitive.sees_open(
        viewer_id=viewer.user_id,
        author_id=post.author_id,
        is_keeper=viewer.can_moderate,
    ):
        note = _once(
            viewer,
            "sensitive",
            lambda: crisis.sensitive_context(country=viewer.country),
        )
        return out + crisis.sensitive_html(post.body_html, sensitive=note)
    if post.content_warning:
        return out + (
            f'<details class="cw"><summary>Content warning: {e(post.content_warning)}. '
            f"Open when you are ready.</summary>{post.body_html}</details>"
        )
    return out + post.body_html


def _history(post, viewer: Viewer) -> str:
    if not viewer.can_moderate:
        return ""
    revisions = getattr(post, "revision_list", None)
    if revisions is None:  # a model instance (one post, for a live update)
        revisions = list(post.revisions.all())
    if not revisions:
        return ""
    items = "".join(f"<li>{_time(r.created_at)}{r.body_html}</li>" for r in revisions)
    plural = "" if len(revisions) == 1 else "s"
    return (
        f'<details class="history mod-only"><summary>Edit history ({len(revisions)} '
        f"earlier version{plural})</summary><ol>{items}</ol></details>"
    )


_PK = 2_147_483_647  # stands for the post's id in a URL reversed once a page


def _post_url(viewer: Viewer, name: str, pk: int) -> str:
    """`reverse(name)` for post `pk`, escaped: reversed once a page (it costs more
    than building the post), the id put in for each post."""

    def halves():
        url = e(reverse(name, kwargs={"slug": viewer.slug, "post_id": _PK}))
        before, _, after = url.rpartition(str(_PK))
        return before, after

    before, after = _once(viewer, ("url", name), halves)
    return f"{before}{pk}{after}"


def _reactions(post, viewer: Viewer, can: PostActions) -> str:
    """The counts people gave, when there are any: one line of text. The buttons are
    in the post's menu (`post_menu`); a listen-only asker sees "N people heard you"
    on their ask instead of counts (the contract's choice)."""
    entry = viewer.reactions.get(post.pk)
    if viewer.heard and post.parent_id is None and post.author_id == viewer.user_id:
        return reaction_bar_html(
            kind="post",
            item=post,
            slug=viewer.slug,
            entry=entry,
            can_react=False,
            csrf_input="",
            next_url="",
            label=f"post by {author_label(post)}",
            # people, not reactions: one person may give several (one query)
            heard=people_count(kind="post", item_id=post.pk) if entry else 0,
        )
    if not (entry and can.reactions):
        return ""
    return reaction_summary(entry["counts"], post.pk)


def reaction_summary(counts: dict, pk) -> str:
    said = " · ".join(
        f"{LABELS_HTML[value]} {counts[value]}"
        for value in CHOICES
        if counts.get(value)
    )
    if not said:
        return ""
    return f'<p class="reaction-sum" data-reaction-sum="{pk}">{said}</p>'


def _links(post, viewer: Viewer, can: PostActions) -> str:
    """Reply and More: links to pages that work without JavaScript; with it,
    static/js/thread.js moves the page's one reply form under the post, or opens
    the post's menu there. Their context is the post's element, named by its
    header (who and when), which a screen reader says on entering it. More leads
    to a page of actions behind a log-in that search engines need not follow
    (`nofollow`; Reply stays as short as it was: 500 posts carry it)."""
    pk, out = post.pk, ""
    if can.reply:
        url = _post_url(viewer, "circles:post_reply", pk)
        out = f'<a class="post-reply" href="{url}">Reply</a>'
    if can.menu:
        url = _post_url(viewer, "circles:post_actions", pk)
        out += f'<a class="post-more" href="{url}" rel="nofollow">More</a>'
    return out


def post_open(post, place: Place, viewer: Viewer, parent=None, top=False) -> str:
    """A post's element up to where its replies go: they nest inside it, after its
    links. `top`: first in what is rendered (a part fetched by "show more", a live
    reply), so it names the post whose element holds it (`data-in`)."""
    thread = viewer.thread
    pk = post.pk
    classes = f"post depth-{place.level}"
    if place.flattened:
        classes += " depth-capped"
    helped = thread.helped_post_id == pk
    if helped:
        classes += " helped"
    new = is_new(post, viewer)
    if new:
        classes += " new"
    meta = f"{_label(post, viewer)} {_time(post.created_at, _zone(viewer))}"
    if new:
        meta += '<span class="tag new-tag">New since your last visit</span>'
    if post.edited_at and not post.deleted_at:
        meta += '<span class="tag">edited</span>'
    if helped:
        meta += '<span class="tag helped-tag">This helped</span>'
    attrs = f'id="post-{pk}" class="{classes}"'
    if place.flattened:
        meta += (
            f'<a class="replying-to" href="#post-{post.parent_id}">replying to '
            f"{_escaped(answers_label(parent, viewer), viewer)}</a>"
        )
        attrs += f' data-parent="{post.parent_id}"'
    if top and place.holder is not None:
        attrs += f' data-in="{place.holder}"'
    can = post_actions(post, viewer)
    return (
        f'<article {attrs} aria-labelledby="post-{pk}-by">'
        f'<header id="post-{pk}-by">{meta}</header>{body_html(post, viewer)}'
        f"{_history(post, viewer)}{_reactions(post, viewer, can)}"
        f"{_links(post, viewer, can)}"
    )


def _escaped(name: str, viewer: Viewer) -> str:
    return _once(viewer, ("name", name), lambda: e(name))


POST_CLOSE = "</article>"


def render_posts(places: list[Place], posts: dict, viewer: Viewer) -> str:
    """The posts at `places` (in tree order) as nested HTML, in one pass: a stack of
    open elements replaces recursion, so any depth and any length render."""
    asked = [pk for pk in posts if pk not in viewer.sensitive_asked]
    if asked:  # one query for the posts of this page
        viewer.sensitive.update(sensitive.sensitive_levels("post", asked))
        viewer.sensitive_asked.update(asked)
    out: list[str] = []
    open_levels: list[int] = []
    for place in places:
        post = posts.get(place.id)
        if post is None:
            continue
        while open_levels and open_levels[-1] >= place.level:
            open_levels.pop()
            out.append(POST_CLOSE)
        parent = posts.get(place.parent_id)
        out.append(post_open(post, place, viewer, parent, top=not open_levels))
        open_levels.append(place.level)
    out.append(POST_CLOSE * len(open_levels))
    return mark_safe("".join(out))


def render_one(post, viewer: Viewer, *, parent=None, level=None) -> str:
    """One post (without its replies) for live insertion or a live edit."""
    flattened = parent is not None and parent.depth >= MAX_DEPTH
    depth = min(post.depth, MAX_DEPTH) if level is None else level
    holder = None if flattened else post.parent_id  # the page finds a flat one's place
    place = Place(post.pk, post.parent_id, depth, holder, flattened)
    posts = {post.pk: post}
    if parent is not None:
        posts[parent.pk] = parent
    return render_posts([place], posts, viewer)
