"""Reads for circles: querysets with their joins inside, constant queries a page."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from . import permissions
from .models import Circle, Membership

State = Membership.State


def circle_get(*, slug: str) -> Circle:
    return get_object_or_404(Circle, slug=slug)


def circle_list_visible_to(*, user):
    """Listed public circles, each with its active member count."""
    return (
        Circle.objects.filter(visibility=Circle.Visibility.LISTED)
        .exclude(join_policy=Circle.JoinPolicy.INVITE)
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__state=State.ACTIVE))
        )
        .order_by("name")
    )


def circle_list_of_member(*, user):
    """The viewer's own circles (active, pending or waitlisted)."""
    if not user.is_authenticated:
        return Circle.objects.none()
    return (
        Circle.objects.filter(
            memberships__user=user,
            memberships__state__in=[State.ACTIVE, State.PENDING, State.WAITLISTED],
        )
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__state=State.ACTIVE))
        )
        .order_by("name")
    )


def membership_states_of(*, user, circle_ids) -> dict[int, str]:
    if not user.is_authenticated:
        return {}
    return dict(
        Membership.objects.filter(
            user=user, circle_id__in=list(circle_ids)
        ).values_list("circle_id", "state")
    )


def member_list(*, circle: Circle):
    """Active members, hosts first, then moderators, then by display name."""
    role_order = {
        Membership.Role.HOST: 0,
        Membership.Role.MODERATOR: 1,
        Membership.Role.MEMBER: 2,
    }
    members = list(
        Membership.objects.filter(circle=circle, state=State.ACTIVE)
        .select_related("user")
        .order_by("user__display_name")
    )
    members.sort(key=lambda m: role_order[m.role])
    return members


def pending_requests(*, circle: Circle):
    return (
        Membership.objects.filter(circle=circle, state=State.PENDING)
        .select_related("user")
        .order_by("requested_at", "id")
    )


def waitlist(*, circle: Circle):
    return (
        Membership.objects.filter(circle=circle, state=State.WAITLISTED)
        .select_related("user")
        .order_by("waitlisted_at", "id")
    )


def waitlist_position(*, membership: Membership) -> int | None:
    if membership.state != State.WAITLISTED:
        return None
    return (
        Membership.objects.filter(
            circle_id=membership.circle_id,
            state=State.WAITLISTED,
            waitlisted_at__lt=membership.waitlisted_at,
        ).count()
        + 1
    )


def active_member_count(*, circle: Circle) -> int:
    return Membership.objects.filter(circle=circle, state=State.ACTIVE).count()


def viewer_context(*, user, circle: Circle) -> dict:
    """What a circle page needs to know about the viewer, asked once."""
    membership = permissions.membership_of(user, circle)
    return {
        "membership": membership,
        "can_read": permissions.can_read_circle(user, circle),
        "can_post": permissions.can_post_in_circle(user, circle),
        "can_moderate": permissions.can_moderate_circle(user, circle),
        "can_manage": permissions.can_manage_circle(user, circle),
        "is_muted": permissions.is_muted(membership),
    }


# --- chat ---
def chat_messages(
    *,
    circle: Circle,
    after: int | None = None,
    before: int | None = None,
    limit: int = 50,
) -> list:
    """Up to `limit` messages of `circle`, oldest first: the page after `after`, the
    page before `before`, or the latest page. Ids are only bounds: an id from another
    circle reveals nothing."""
    from .models import ChatMessage

    messages = ChatMessage.objects.filter(circle=circle).select_related("author")
    if after is not None:
        return list(messages.filter(id__gt=after).order_by("seq")[:limit])
    if before is not None:
        messages = messages.filter(id__lt=before)
    return list(reversed(messages.order_by("-seq")[:limit]))


def chat_present_names(*, circle: Circle) -> list[str]:
    """Display names of members with an open chat socket here, on any process."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import ChatPresence

    fresh = timezone.now() - timedelta(seconds=PRESENCE_STALE_SECONDS)
    names = (
        ChatPresence.objects.filter(circle=circle, seen_at__gte=fresh)
        .values_list("user__display_name", flat=True)
        .distinct()
    )
    return sorted(set(names), key=str.casefold)


PRESENCE_STALE_SECONDS = 180


# --- threads ---
def _visible_to(queryset, *, user, can_moderate: bool):
    """Removed and hidden items stay listed for moderators; held ones for their
    author and moderators; everyone else sees only what is visible."""
    from django.db.models import Q

    if can_moderate:
        return queryset
    mine = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    return queryset.filter(Q(status="visible") | (Q(status="held") & mine))


def thread_list_for(*, circle: Circle, user, can_moderate: bool = False):
    """A circle's threads, newest activity first (pinned first), each with `unread`
    (activity since the member last opened it) and its author, in one query."""
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

    from .models import Thread, ThreadVisit

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
    from .models import Post

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
    from .models import Thread

    return (
        Thread.objects.filter(
            circle=circle,
            kind=Thread.Kind.ASK,
            status="visible",
            first_reply_at__isnull=True,
        )
        .select_related("author")
        .order_by("created_at", "id")
    )


def asks_of(*, user) -> dict:
    """A member's own asks across circles, and how asking has gone for them."""
    import statistics

    from .models import Thread

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
