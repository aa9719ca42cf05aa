"""Reads for threads, posts and asks: one query for a list or a whole tree."""

import statistics

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from moderation.safety.sensitive import SENSITIVE_TITLE, raised_exists

from .. import permissions
from ..models import Circle, ContentStatus, Post, PostRevision, Thread, ThreadVisit
from .tree import WHOLE_UP_TO, Outline, outline


def thread_list_for(*, circle: Circle, user):
    """A circle's threads that `user` may see (removed and hidden ones stay listed
    for moderators, held ones for their author), newest activity first (pinned
    first), each with `unread` (activity since the member last opened it) and its
    author, in one query."""
    seen = ThreadVisit.objects.filter(thread=OuterRef("pk"), user_id=user.pk).values(
        "seen_at"
    )[:1]
    threads = (
        Thread.objects.select_related("author")
        .annotate(seen_at=Subquery(seen))
        .annotate(
            unread=Case(
                When(
                    Q(seen_at__isnull=True) | Q(last_activity_at__gt=F("seen_at")),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-pinned", "-last_activity_at", "-id")
    )
    # A title whose words raised a crisis level is not quoted to other members
    # (`veiled`): its author and the circle's keepers see it.
    if not permissions.can_moderate_circle(user, circle):
        raised = Post.objects.filter(
            thread_id=OuterRef("pk"), parent__isnull=True
        ).filter(raised_exists("post"))
        threads = threads.annotate(
            list_title=Case(
                When(
                    Exists(raised) & ~Q(author_id=user.pk), then=Value(SENSITIVE_TITLE)
                ),
                default=F("title"),
            )
        )
    return permissions.filter_visible(threads, user, circle=circle)


def thread_outline(
    *,
    thread,
    seen_at=None,
    user=None,
    can_moderate: bool = False,
    with_posts: bool = False,
) -> Outline:
    """The thread's shape (ids and parent links, so 5,000 posts cost milliseconds)
    and `new_ids`: posts others wrote since `seen_at` that this reader may see,
    oldest first. One query, however long the thread.

    `with_posts`: a thread short enough to be shown whole (by its reply count) has
    its posts read in the same query (`shape.posts`, as `posts_by_id` gives them):
    one query less for most pages."""
    posts = Post.objects.filter(thread=thread).order_by("created_at", "id")
    whole = with_posts and thread.reply_count <= WHOLE_UP_TO
    fields = PostRow.FIELDS if whole else ("id", "parent_id")
    if seen_at is None or user is None or not user.is_authenticated:
        rows = [(*row, False) for row in posts.values_list(*fields)]
    else:
        fresh = Q(created_at__gt=seen_at) & ~Q(author_id=user.pk)
        if not can_moderate:
            fresh &= permissions.visible_q(user, public=True)
        flagged = posts.annotate(
            new=Case(
                When(fresh, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        rows = list(flagged.values_list(*fields, "new"))
    shape = outline((row[0], row[1]) for row in rows)
    shape.new_ids = [row[0] for row in rows if row[-1]]
    if whole:
        shape.posts = {row[0]: PostRow(row[:-1]) for row in rows}
    return shape


class Author:
    __slots__ = ("display_name",)

    def __init__(self, display_name):
        self.display_name = display_name


class PostRow:
    """What a thread page shows of a post, read as plain values: building 500 model
    instances (and 500 users) costs more than rendering them."""

    FIELDS = (
        "id",
        "parent_id",
        "author_id",
        "author__display_name",
        "deleted_at",
        "status",
        "removed_reason",
        "body_html",
        "body",
        "content_warning",
        "created_at",
        "edited_at",
        "depth",
    )
    __slots__ = (
        "pk",
        "parent_id",
        "author_id",
        "author",
        "deleted_at",
        "status",
        "removed_reason",
        "body_html",
        "body",
        "content_warning",
        "created_at",
        "edited_at",
        "depth",
        "revision_list",
    )

    def __init__(self, row):
        (
            self.pk,
            self.parent_id,
            self.author_id,
            name,
            self.deleted_at,
            self.status,
            self.removed_reason,
            self.body_html,
            self.body,
            self.content_warning,
            self.created_at,
            self.edited_at,
            self.depth,
        ) = row
        self.author = Author(name)
        self.revision_list = ()


def post_ids(thread):
    """The ids of a thread's posts, as a subquery for other reads."""
    return Post.objects.filter(thread=thread).values("id")


def posts_by_id(*, thread, ids, with_revisions: bool = False, rows=None) -> dict:
    """The posts with these ids (None: all the thread's), as PostRow: one query (two
    with the edit history for moderators), however many. `rows`: posts read already
    (`thread_outline(with_posts=True)`), for their edit history only."""
    if rows is None:
        posts = Post.objects.filter(thread=thread)
        if ids is not None:
            posts = posts.filter(pk__in=list(ids))
        rows = {row[0]: PostRow(row) for row in posts.values_list(*PostRow.FIELDS)}
    if with_revisions and rows:
        revisions = PostRevision.objects.filter(post__thread=thread)
        if ids is not None:
            revisions = revisions.filter(post_id__in=list(rows))
        history: dict[int, list] = {}
        for revision in revisions.order_by("-created_at", "-id"):
            history.setdefault(revision.post_id, []).append(revision)
        for pk, found in history.items():
            if pk in rows:
                rows[pk].revision_list = found
    return rows


def with_seen_at(threads, *, user):
    """Threads annotated with `seen_at`: when `user` last opened each (None: never)."""
    seen = ThreadVisit.objects.filter(thread=OuterRef("pk"), user_id=user.pk).values(
        "seen_at"
    )[:1]
    return threads.annotate(seen_at=Subquery(seen))


def last_seen(*, thread, user):
    """When this member last opened the thread (None: never, or not logged in)."""
    if not user.is_authenticated:
        return None
    if hasattr(thread, "seen_at"):  # asked with the thread itself
        return thread.seen_at
    return (
        ThreadVisit.objects.filter(thread=thread, user=user)
        .values_list("seen_at", flat=True)
        .first()
    )


def waiting_asks(*, circle: Circle):
    """Asks still waiting for a first reply, oldest first."""
    return (
        Thread.objects.filter(
            circle=circle,
            kind=Thread.Kind.ASK,
            status=ContentStatus.VISIBLE,
            first_reply_at__isnull=True,
        )
        .select_related("author")
        .order_by("created_at", "id")
    )


def asks_of(*, user) -> dict:
    """A member's own asks across circles, and how asking has gone for them."""
    asks = list(
        Thread.objects.filter(author=user, kind=Thread.Kind.ASK)
        .select_related("circle")
        .order_by("-created_at")
    )
    waits = [
        (a.first_reply_at - a.created_at).total_seconds()
        for a in asks
        if a.first_reply_at
    ]
    return {
        "asks": asks,
        "asked": len(asks),
        "replied": len(waits),
        "answered": sum(1 for a in asks if a.answered_at),
        "median_wait_seconds": statistics.median(waits) if waits else None,
    }
