"""A thread's posts as HTML, built in Python in one pass without recursion.

Every string from people is escaped here (`escape`/`format_html`); `body_html` is
printed as stored because it was sanitised when it was written. Each post is an
`<article id="post-<id>">` nested in its parent's `.replies` up to MAX_DEPTH levels;
deeper replies sit beside their parent with `data-parent` and a line saying whom
they answer.
"""

from dataclasses import dataclass, field

from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models import ContentStatus
from .tree import MAX_DEPTH, Place

NEUTRAL_REMOVED = "Removed by the circle's moderators."


@dataclass
class Viewer:
    """What the page knows about the person reading it, asked once."""

    user_id: int | None
    slug: str
    thread: object
    can_post: bool = False
    can_moderate: bool = False
    csrf_token: str = ""
    ignored_ids: frozenset = frozenset()
    unsaved_edit: dict | None = None
    seen_at: object = None  # their previous visit; posts after it are "new"
    new_ids: set = field(default_factory=set)


def _when(value) -> str:
    return dateformat.format(timezone.localtime(value), "j M, H:i")


def _time(value) -> str:
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), _when(value))


def _csrf(viewer: Viewer) -> str:
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
        viewer.csrf_token,
    )


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
    return bool(
        viewer.seen_at
        and post.created_at > viewer.seen_at
        and post.author_id != viewer.user_id
    )


def _body(post, viewer: Viewer) -> str:
    mine = post.author_id == viewer.user_id
    if post.deleted_at:
        return '<p class="tombstone">Deleted by its author.</p>'
    if post.status == ContentStatus.REMOVED:
        out = f'<p class="tombstone">{NEUTRAL_REMOVED}</p>'
        if viewer.can_moderate:
            out += format_html(
                '<details class="mod-only"><summary>Original and reason (moderators '
                "only)</summary><p>Reason: {}</p>{}</details>",
                post.removed_reason or "none given",
                mark_safe(post.body_html),
            )
        return out
    if post.status == ContentStatus.HIDDEN and not viewer.can_moderate:
        return '<p class="tombstone">Hidden while moderators review it.</p>'
    if post.status == ContentStatus.HELD and not (viewer.can_moderate or mine):
        return '<p class="tombstone">Held for review.</p>'
    out = ""
    if post.status == ContentStatus.HELD:
        out = (
            '<p class="tag">Held for review: only you and the moderators see this '
            "for now.</p>"
        )
    elif post.status == ContentStatus.HIDDEN:
        out = '<p class="tag">Hidden from members while moderators review it.</p>'
    if post.author_id in viewer.ignored_ids:
        return out + format_html(
            '<details class="ignored"><summary>You chose to hide what {} writes'
            "</summary>{}</details>",
            post.author.display_name,
            mark_safe(post.body_html),
        )
    if post.content_warning:
        return out + format_html(
            '<details class="cw"><summary>Content warning: {}. Open when you are '
            "ready.</summary>{}</details>",
            post.content_warning,
            mark_safe(post.body_html),
        )
    return out + post.body_html


def _history(post, viewer: Viewer) -> str:
    if not viewer.can_moderate:
        return ""
    revisions = list(post.revisions.all())
    if not revisions:
        return ""
    items = "".join(
        format_html("<li>{}{}</li>", _time(r.created_at), mark_safe(r.body_html))
        for r in revisions
    )
    plural = "" if len(revisions) == 1 else "s"
    return (
        f'<details class="history mod-only"><summary>Edit history ({len(revisions)} '
        f"earlier version{plural})</summary><ol>{items}</ol></details>"
    )


def _listen_reminder(viewer: Viewer) -> str:
    thread = viewer.thread
    if thread.reply_norm != "listen_only" or thread.author_id == viewer.user_id:
        return ""
    return format_html(
        '<p class="norm-reminder">{} asked to be heard, not advised. Listen, reflect, '
        "and share your own experience if it helps; please hold back advice.</p>",
        thread.author.display_name,
    )


def _actions(post, viewer: Viewer) -> str:
    if viewer.user_id is None or post.deleted_at:
        return ""
    if post.status == ContentStatus.REMOVED:
        return ""
    thread, slug, pk = viewer.thread, viewer.slug, post.pk
    mine = post.author_id == viewer.user_id
    out = []
    open_to_replies = viewer.can_post and not thread.locked
    if open_to_replies and (post.status == ContentStatus.VISIBLE or mine):
        out.append(
            format_html(
                '<details class="reply-box"><summary>Reply<span class="visually-hidden">'
                ' to {name}</span></summary><form method="post" action="/circles/{slug}/'
                'threads/{thread}/reply/" class="stack-form">{csrf}<input type="hidden" '
                'name="parent" value="{pk}">{reminder}<label for="reply-{pk}">Your reply'
                '</label><textarea id="reply-{pk}" name="body" rows="3" required '
                'maxlength="20000"></textarea><button type="submit">Send reply</button>'
                "</form></details>",
                name=author_label(post),
                slug=slug,
                thread=thread.pk,
                csrf=mark_safe(_csrf(viewer)),
                pk=pk,
                reminder=mark_safe(_listen_reminder(viewer)),
            )
        )
    if mine:
        editable = not thread.locked and post.status in (
            ContentStatus.VISIBLE,
            ContentStatus.HELD,
        )
        if editable:
            unsaved = viewer.unsaved_edit or {}
            text = unsaved.get("body") if unsaved.get("post") == pk else post.body
            out.append(
                format_html(
                    '<details class="edit-box"><summary>Edit</summary><form method="post"'
                    ' action="/circles/{}/posts/{}/edit/" class="stack-form">{}<label '
                    'for="edit-{}">Edit your post</label><textarea id="edit-{}" name="body"'
                    ' rows="4" maxlength="20000">{}</textarea><button type="submit">Save'
                    "</button></form></details>",
                    slug,
                    pk,
                    mark_safe(_csrf(viewer)),
                    pk,
                    pk,
                    text,
                )
            )
        if post.parent_id:
            out.append(
                format_html(
                    '<form method="post" action="/circles/{}/posts/{}/delete/" '
                    'class="inline-form">{}<button type="submit" class="link-button">'
                    "Delete</button></form>",
                    slug,
                    pk,
                    mark_safe(_csrf(viewer)),
                )
            )
    else:
        if (
            thread.is_ask
            and thread.author_id == viewer.user_id
            and post.parent_id
            and thread.helped_post_id != pk
            and post.status == ContentStatus.VISIBLE
        ):
            out.append(
                format_html(
                    '<form method="post" action="/circles/{}/posts/{}/helped/" '
                    'class="inline-form">{}<button type="submit" class="secondary">'
                    "This helped</button></form>",
                    slug,
                    pk,
                    mark_safe(_csrf(viewer)),
                )
            )
        if post.status == ContentStatus.VISIBLE or viewer.can_moderate:
            out.append(
                format_html(
                    '<a class="flag-link" href="/moderation/flag/?kind=post&amp;id={}">'
                    'Flag<span class="visually-hidden"> post by {}</span></a>',
                    pk,
                    post.author.display_name,
                )
            )
    if not out:
        return ""
    return '<div class="post-actions">' + "".join(out) + "</div>"


def post_open(post, place: Place, viewer: Viewer, parent=None) -> str:
    """A post's element up to and including the opening of its replies."""
    thread = viewer.thread
    pk = post.pk
    classes = ["post", f"depth-{place.level}"]
    if place.flattened:
        classes.append("depth-capped")
    if thread.helped_post_id == pk:
        classes.append("helped")
    new = is_new(post, viewer)
    if new:
        classes.append("new")
    meta = [
        format_html(
            '<span id="post-{}-by" class="post-author">{}</span>',
            pk,
            author_label(post),
        ),
        _time(post.created_at),
    ]
    if new:
        meta.append('<span class="tag new-tag">New since your last visit</span>')
    if post.edited_at and not post.deleted_at:
        meta.append('<span class="tag">edited</span>')
    if thread.helped_post_id == pk:
        meta.append('<span class="tag helped-tag">This helped</span>')
    if place.flattened:
        meta.append(
            format_html(
                '<span class="replying-to">replying to <a href="#post-{}">{}</a></span>',
                post.parent_id,
                answers_label(parent, viewer),
            )
        )
    attrs = format_html(
        'id="post-{}" class="{}" data-post-id="{}" data-depth="{}"',
        pk,
        " ".join(classes),
        pk,
        place.level,
    )
    if post.parent_id:
        attrs += format_html(' data-parent="{}"', post.parent_id)
    if place.holder:
        attrs += format_html(' data-in="{}"', place.holder)
    return (
        f'<article {attrs} aria-labelledby="post-{pk}-by">'
        f'<header class="post-meta">{"".join(meta)}</header>'
        f'<div class="post-body">{_body(post, viewer)}</div>'
        f"{_history(post, viewer)}{_actions(post, viewer)}"
        f'<div class="replies" data-replies-of="{pk}">'
    )


POST_CLOSE = "</div></article>"


def render_posts(places: list[Place], posts: dict, viewer: Viewer) -> str:
    """The posts at `places` (in tree order) as nested HTML, in one pass: a stack of
    open elements replaces recursion, so any depth and any length render."""
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
