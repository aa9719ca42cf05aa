"""A thread's posts as HTML, built in Python in one pass without recursion.

Every string from people is escaped here (`e()` from `viewer.py`: the standard
library's escape, quotes included, as Django's `escape` does, without its per-call
wrapper cost: a thread of 500 posts calls it thousands of times); `body_html` is
printed as stored because it was sanitised when it was written. Each post is an
`<article id="post-<id>">` nested in its parent's `.replies` up to MAX_DEPTH levels;
deeper replies sit beside their parent with `data-parent` and a line saying whom
they answer.
"""

from django.urls import reverse
from django.utils.safestring import mark_safe

from moderation.safety import crisis, sensitive

from ..models import REMOVED_PUBLIC_TEXT, ContentStatus, thread_url
from ..permissions import takes_edits, takes_replies
from ..reactions.bar import reaction_bar_html
from .tree import MAX_DEPTH, Place
from .viewer import (
    Viewer,
    _csrf,
    _label,
    _once,
    _time,
    _zone,
    answers_label,
    author_label,
    e,
    is_new,
)


def _body(post, viewer: Viewer) -> str:
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


def _listen_reminder(viewer: Viewer) -> str:
    thread = viewer.thread
    if thread.reply_norm != "listen_only" or thread.author_id == viewer.user_id:
        return ""  # the asker reads their own wording at the top of the page
    return (
        f'<p class="norm-reminder">{e(thread.author.display_name)} asked to be heard, '
        "not advised. Listen, reflect, and share your own experience if it helps; "
        "please hold back advice.</p>"
    )


def _members_url(viewer: Viewer) -> str:
    slug = viewer.slug
    return _once(
        viewer, "members", lambda: e(reverse("circles:members_json", args=[slug]))
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


def _reply_url(viewer: Viewer) -> str:
    return _once(
        viewer,
        "reply_url",
        lambda: e(reverse("circles:reply", args=[viewer.slug, viewer.thread.pk])),
    )


def _reply_box(post, viewer: Viewer) -> str:
    pk, thread = post.pk, viewer.thread
    reminder = _once(viewer, "reminder", lambda: _listen_reminder(viewer))
    return (
        '<details class="reply-box"><summary>Reply<span class="visually-hidden"> to '
        f"{_label(post, viewer)}</span></summary>"
        f'<form method="post" action="{_reply_url(viewer)}" '
        f'class="stack-form">{_csrf(viewer)}'
        f'<input type="hidden" name="parent" value="{pk}">{reminder}'
        f'<label for="reply-{pk}">Your reply</label><textarea id="reply-{pk}" '
        'name="body" rows="3" required maxlength="20000" '
        f'data-draft-key="reply-{thread.pk}-{pk}" '
        f'data-mentions="{_members_url(viewer)}"></textarea>'
        '<button type="submit">Send reply</button></form></details>'
    )


def _edit_box(post, viewer: Viewer) -> str:
    pk = post.pk
    unsaved = viewer.unsaved_edit or {}
    text = unsaved.get("body") if unsaved.get("post") == pk else post.body
    return (
        '<details class="edit-box"><summary>Edit</summary><form method="post" '
        f'action="{_post_url(viewer, "circles:post_edit", pk)}" class="stack-form">'
        f'{_csrf(viewer)}<label for="edit-{pk}">Edit your post</label>'
        f'<textarea id="edit-{pk}" name="body" rows="4" maxlength="20000">'
        f'{e(text or "")}</textarea><button type="submit">Save</button></form></details>'
    )


# Deleting asks first (static/js/site.js opens a dialog; without JavaScript the form
# simply posts): the words are gone for good.
_CONFIRM_DELETE = (
    ' data-confirm-title="Delete this reply?" data-confirm="Nobody will see these '
    "words again. The reply keeps its place in the thread, marked “Deleted by its "
    'author”, and the replies to it stay. This cannot be undone." '
    'data-confirm-yes="Delete the reply" data-confirm-no="Keep it"'
)


def _small_form(post, viewer: Viewer, action: str, button: str, css: str) -> str:
    confirm = _CONFIRM_DELETE if action == "delete" else ""
    return (
        f'<form method="post" action="{_post_url(viewer, f"circles:post_{action}", post.pk)}" '
        f'class="inline-form"{confirm}>{_csrf(viewer)}<button '
        f'type="submit" class="{css}">{button}</button></form>'
    )


def _reactions(post, viewer: Viewer) -> str:
    """Gentle reactions on words everyone can read; none on one's own but counts."""
    if viewer.user_id is None or post.deleted_at:
        return ""
    if post.status != ContentStatus.VISIBLE:
        return ""
    if not sensitive.reactable(viewer.sensitive.get(post.pk, "")):
        return ""  # words that raised a crisis level take no reactions
    own = post.author_id == viewer.user_id
    return reaction_bar_html(
        kind="post",
        item=post,
        slug=viewer.slug,
        entry=viewer.reactions.get(post.pk),
        can_react=viewer.can_post and not own,
        csrf_input=_csrf(viewer),
        next_url=f"{_thread_url(viewer)}#post-{post.pk}",
        label=f"post by {author_label(post)}",
        heard=_heard(viewer.reactions.get(post.pk))
        if viewer.heard and own and post.parent_id is None
        else None,
    )


def _thread_url(viewer: Viewer) -> str:
    return _once(
        viewer, "thread_url", lambda: thread_url(viewer.slug, viewer.thread.pk)
    )


def _heard(entry: dict | None) -> int:
    """Reactions on the ask, counted as totals (the contract's choice)."""
    return sum(entry["counts"].values()) if entry else 0


def _flag_url(viewer: Viewer) -> str:
    return _once(viewer, "flag_url", lambda: e(reverse("moderation:flag")))


def _actions(post, viewer: Viewer) -> str:
    if viewer.user_id is None or post.deleted_at:
        return ""
    if post.status == ContentStatus.REMOVED:
        return ""
    thread, pk = viewer.thread, post.pk
    mine = post.author_id == viewer.user_id
    visible = post.status == ContentStatus.VISIBLE
    out = []
    # permissions.allow_reply_to_post / allow_edit_post: the thread's part asked
    # once a page (viewer.can_reply), the post's part here.
    if viewer.can_reply and takes_replies(
        post, user_id=viewer.user_id, moderates=viewer.can_moderate
    ):
        out.append(_reply_box(post, viewer))
    if mine:
        if viewer.can_reply and takes_edits(post):
            out.append(_edit_box(post, viewer))
        if post.parent_id:
            out.append(_small_form(post, viewer, "delete", "Delete", "link-button"))
    else:
        if (
            thread.is_ask
            and thread.author_id == viewer.user_id
            and post.parent_id
            and thread.helped_post_id != pk
            and visible
        ):
            out.append(_small_form(post, viewer, "helped", "This helped", "secondary"))
        if visible and post.parent_id:
            out.append(_save_form(post, viewer))
        if visible or viewer.can_moderate:
            out.append(
                f'<a class="flag-link" href="{_flag_url(viewer)}?kind=post&amp;id={pk}">'
                f'Flag<span class="visually-hidden"> post by '
                f"{_label(post, viewer)}</span></a>"
            )
    if not out:
        return ""
    return '<div class="post-actions">' + "".join(out) + "</div>"


def _save_form(post, viewer: Viewer) -> str:
    """Save / Saved for a reply, as saved/_button.html draws it for threads."""
    pk = post.pk
    saved = ("post", pk) in viewer.saved
    back = f"{_thread_url(viewer)}#post-{pk}"
    label = (
        f'Saved<span class="visually-hidden"> (select to unsave the reply by '
        f"{_label(post, viewer)})</span>"
        if saved
        else f'Save<span class="visually-hidden"> the reply by '
        f"{_label(post, viewer)}</span>"
    )
    return (
        f'<form method="post" action="{_once(viewer, "saved", lambda: reverse("saved:list"))}" '
        'class="inline-form save-form">'
        f'{_csrf(viewer)}<input type="hidden" name="kind" value="post">'
        f'<input type="hidden" name="id" value="{pk}">'
        f'<input type="hidden" name="next" value="{e(back)}">'
        f'<button type="submit" class="link-button" '
        f'aria-pressed="{"true" if saved else "false"}">{label}</button></form>'
    )


def post_open(post, place: Place, viewer: Viewer, parent=None) -> str:
    """A post's element up to and including the opening of its replies."""
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
    meta = (
        f'<span id="post-{pk}-by" class="post-author">{_label(post, viewer)}</span>'
        f"{_time(post.created_at, _zone(viewer))}"
    )
    if new:
        meta += '<span class="tag new-tag">New since your last visit</span>'
    if post.edited_at and not post.deleted_at:
        meta += '<span class="tag">edited</span>'
    if helped:
        meta += '<span class="tag helped-tag">This helped</span>'
    if place.flattened:
        meta += (
            f'<span class="replying-to">replying to <a href="#post-{post.parent_id}">'
            f"{e(answers_label(parent, viewer))}</a></span>"
        )
    attrs = f'id="post-{pk}" class="{classes}" data-post-id="{pk}" data-depth="{place.level}"'
    if post.parent_id:
        attrs += f' data-parent="{post.parent_id}"'
    if place.holder:
        attrs += f' data-in="{place.holder}"'
    return (
        f'<article {attrs} aria-labelledby="post-{pk}-by">'
        f'<header class="post-meta">{meta}</header>'
        f'<div class="post-body">{_body(post, viewer)}</div>'
        f"{_history(post, viewer)}{_reactions(post, viewer)}{_actions(post, viewer)}"
        f'<div class="replies" data-replies-of="{pk}">'
    )


POST_CLOSE = "</div></article>"


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
        out.append(post_open(post, place, viewer, posts.get(place.parent_id)))
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
