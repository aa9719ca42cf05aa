"""Reads for threads, posts and asks: one query for a list or a whole tree."""

import statistics

from django.db.models import (
    BooleanField,
    Case,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from ..models import Circle, ContentStatus, Post, Thread, ThreadVisit


def _visible_to(queryset, *, user, can_moderate: bool):
    """Removed and hidden items stay listed for moderators; held ones for their
    author and moderators; everyone else sees only what is visible."""
    if can_moderate:
        return queryset
    mine = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    return queryset.filter(
        Q(status=ContentStatus.VISIBLE) | (Q(status=ContentStatus.HELD) & mine)
    )


def thread_list_for(*, circle: Circle, user, can_moderate: bool = False):
    """A circle's threads, newest activity first (pinned first), each with `unread`
    (activity since the member last opened it) and its author, in one query."""
    seen = ThreadVisit.objects.filter(thread=OuterRef("pk"), user_id=user.pk).values(
        "seen_at"
    )[:1]
    threads = (
        Thread.objects.filter(circle=circle)
        .select_related("author")
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
    return _visible_to(threads, user=user, can_moderate=can_moderate)


class PostNode:
    """A post with its replies, for rendering the tree without further queries."""

    __slots__ = ("post", "children", "parent_author")

    def __init__(self, post, parent_author=None):
        self.post, self.children, self.parent_author = post, [], parent_author


def thread_tree(*, thread, with_revisions: bool = False) -> PostNode | None:
    """The thread's posts as a tree rooted at its opening post: one query (two with
    the edit history for moderators), whatever the thread's size."""
    posts = (
        Post.objects.filter(thread=thread)
        .select_related("author")
        .order_by("created_at", "id")
    )
    if with_revisions:
        posts = posts.prefetch_related("revisions")
    nodes: dict[int, PostNode] = {}
    root = None
    for post in posts:
        parent = nodes.get(post.parent_id)
        node = PostNode(post, parent.post.author if parent else None)
        nodes[post.pk] = node
        if parent is None:
            root = root or node
        else:
            parent.children.append(node)
    return root


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
