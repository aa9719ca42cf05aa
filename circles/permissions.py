"""Who may do what in a circle: the one module that asks django-guardian.

Each rule is written once, as `allow_<verb>_<thing>()`, which raises `Http404`
where the visitor must not learn that the thing exists and `PermissionDenied`
otherwise; `can_<verb>_<thing>()` is derived from it (templates, consumers).
Object permissions are granted and revoked only by `grant_role` / `revoke_all`,
which the membership services call. The per-request cache of the answers, and
its refill in one query for a socket's write, are in `permission_cache.py`,
reached only through this module.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from community.templatetags.when import fallback_text

from .models import Circle, ContentStatus, Membership, Post
from .permission_cache import (  # noqa: F401 (asked as permissions.refresh_for_write)
    circle_answers,
    forget_cached_perms,
    person_circles,
    refresh_for_write,
    write_rule_query,
)

VIEW = "view_circle"
POST = "post_in_circle"
MODERATE = "moderate_circle"
MANAGE = "manage_circle"

ROLE_PERMS = {
    Membership.Role.MEMBER: (VIEW, POST),
    Membership.Role.MODERATOR: (VIEW, POST, MODERATE),
    Membership.Role.HOST: (VIEW, POST, MODERATE, MANAGE),
}
ALL_PERMS = (VIEW, POST, MODERATE, MANAGE)


# --- granting (membership services only) ----------------------------------------
def grant_role(*, user, circle: Circle, role: str) -> None:
    """Give `user` exactly the permissions of `role` in `circle`."""
    forget_cached_perms(user)
    wanted = set(ROLE_PERMS[role])
    for perm in ALL_PERMS:
        if perm in wanted:
            assign_perm(perm, user, circle)
        else:
            remove_perm(perm, user, circle)


def revoke_all(*, user, circle: Circle) -> None:
    forget_cached_perms(user)
    for perm in ALL_PERMS:
        remove_perm(perm, user, circle)


# --- asking ----------------------------------------------------------------------
def _perms(user, circle: Circle) -> set[str]:
    """The circle's object permissions of `user`, cached on the user for the request
    (with every other circle of theirs: `permission_cache.circle_answers`).

    Global (model-level) permissions never count: only guardian's object rows.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    return circle_answers(user, circle.pk)[0]


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def membership_of(user, circle: Circle) -> Membership | None:
    """The membership, asked once a request (forget_cached_perms drops it)."""
    if not user.is_authenticated:
        return None
    return circle_answers(user, circle.pk)[1]


def return_boolean(allow):
    """`can_x` from `allow_x` (Misago's pattern): each rule is written once, in the
    function that raises; the boolean form answers whether it would raise."""

    @functools.wraps(allow)
    def can(*args, **kwargs) -> bool:
        try:
            allow(*args, **kwargs)
        except (PermissionDenied, Http404):
            return False
        return True

    can.__doc__ = f"True where `{allow.__name__}` would not raise."
    return can


class Muted(PermissionDenied):
    """Refused because the member is muted: chat answers `muted`, not `forbidden`."""

    def __init__(self, message: str, *, until):
        super().__init__(message)
        self.until = until


def is_muted(membership: Membership | None, *, now=None) -> bool:
    if membership is None or membership.muted_until is None:
        return False
    return membership.muted_until > (now or timezone.now())


def _reads(user, circle: Circle) -> bool:
    return VIEW in _perms(user, circle) or is_staff(user)


def allow_see_circle(user, circle: Circle, *, invite_token: str | None = None) -> None:
    """May this visitor learn that the circle exists (see its description page)?

    Listed circles are public (an invite-only one shows its public face and "Ask
    for an invite"). Unlisted circles are seen only by members, people with a
    pending request or a waitlist place, staff, and whoever holds the current
    invite link. Banned members see nothing.
    """
    if _reads(user, circle):
        return
    membership = membership_of(user, circle)
    if membership and membership.state == Membership.State.BANNED:
        raise Http404("No such circle.")
    if invite_token is not None and invite_token == circle.invite_token:
        return
    if membership and membership.state in (
        Membership.State.PENDING,
        Membership.State.WAITLISTED,
    ):
        return
    if circle.visibility == Circle.Visibility.LISTED:
        return  # listed, even invite-only: a public face with "Ask for an invite"
    raise Http404("No such circle.")


def allow_read_circle(user, circle: Circle) -> None:
    """Read chat, threads and members: active members and site staff. Everyone else
    gets the same 404 as a missing circle, unless they may see the circle's public
    page (then: forbidden)."""
    if _reads(user, circle):
        return
    allow_see_circle(user, circle)
    raise PermissionDenied("Only members of this circle can see this.")


def allow_post_in_circle(user, circle: Circle) -> None:
    """Post threads, replies and chat: members with the permission who are not muted.
    Raises `Muted` (a PermissionDenied) for a muted member."""
    allow_read_circle(user, circle)
    if POST not in _perms(user, circle):
        raise PermissionDenied("Only members of this circle can post here.")
    membership = membership_of(user, circle)
    if is_muted(membership):
        raise Muted(
            "You are muted in this circle until "
            f"{fallback_text(membership.muted_until)}. You can still read.",
            until=membership.muted_until,
        )


def allow_moderate_circle(user, circle: Circle) -> None:
    """Hosts, moderators and site staff; a plain member gets 403, anyone who may not
    read the circle the same 404 as a missing circle."""
    if MODERATE in _perms(user, circle) or is_staff(user):
        return
    allow_see_circle(user, circle)
    if not _reads(user, circle):
        raise Http404("No such circle.")
    raise PermissionDenied("Only this circle's hosts and moderators can do that.")


def allow_manage_circle(user, circle: Circle) -> None:
    """Hosts only: roles, invite links."""
    if MANAGE in _perms(user, circle):
        return
    allow_see_circle(user, circle)
    if not _reads(user, circle):
        raise Http404("No such circle.")
    raise PermissionDenied("Only this circle's hosts can do that.")


def allow_restore_item(user, item) -> None:
    """Bring back words moderators removed: the circle's hosts, moderators and staff.
    To anyone else, and for words that are not removed by moderators, the 404 of a
    missing item (removed words are hidden from members)."""
    if not can_moderate_circle(user, item.content_circle):
        raise Http404("No such item.")
    if item.status != ContentStatus.REMOVED or item.removed_by_author:
        raise Http404("No such item.")


def sees_item(item, *, user_id, moderates: bool) -> bool:
    """`allow_see_item` for a page that asked `can_moderate_circle` once."""
    if item.status == ContentStatus.VISIBLE or moderates:
        return True
    return (
        item.status in (ContentStatus.HELD, ContentStatus.CARED)
        and item.author_id == user_id
    )


def is_public(item) -> bool:
    """`filter_visible(public=True)` for one item: what every reader reads now."""
    return item.status == ContentStatus.VISIBLE and not getattr(
        item, "deleted_at", None
    )


def allow_see_item(user, item) -> None:
    """A thread, post or message of a circle the user reads: visible ones to all
    readers, held ones to their author, everything to the circle's moderators."""
    if item.status == ContentStatus.VISIBLE:
        return  # without asking who moderates
    moderates = can_moderate_circle(user, item.content_circle)
    if not sees_item(item, user_id=user.pk, moderates=moderates):
        raise Http404("No such item.")


# --- replying and editing ----------------------------------------------------------
class Closed(PermissionDenied):
    """Refused because of where the words would go (a locked thread, removed or
    deleted words), not because of who writes them: a form shows it as something
    to change and keeps the words."""


def _thread_closed(thread) -> str | None:
    """Why a thread takes no more words (replies or edits), or None."""
    if thread.locked:
        return "This thread is locked: it takes no more replies."
    if thread.status == ContentStatus.REMOVED:
        return "This thread was removed by a moderator."
    return None


def allow_reply_to_thread(user, thread) -> None:
    """Reply in `thread`: who may post in its circle, on a thread they may see,
    while it is open (not locked, not removed)."""
    allow_post_in_circle(user, thread.circle)
    allow_see_item(user, thread)
    closed = _thread_closed(thread)
    if closed:
        raise Closed(closed)


def takes_replies(post, *, user_id, moderates: bool) -> bool:
    """The post's own part of `allow_reply_to_post`, for a page that asked
    `can_reply_to_thread` and `can_moderate_circle` once: words the replier may
    see, neither deleted nor removed."""
    if post.deleted_at or post.status == ContentStatus.REMOVED:
        return False
    return sees_item(post, user_id=user_id, moderates=moderates)


def allow_reply_to_post(user, post) -> None:
    """Reply to `post` (a thread's opening post or any reply in it): the thread's
    rule, then the post's. What the replier may not see is a 404."""
    allow_reply_to_thread(user, post.thread)
    if post.parent_id is None:
        return  # the opening post: the thread's rule is the whole rule
    allow_see_item(user, post)
    if post.deleted_at is not None:
        raise Closed(
            "That reply was deleted by its author: reply to the thread instead. "
            "Your words are below."
        )
    if post.status == ContentStatus.REMOVED:
        raise Closed("A moderator removed that reply: it takes no more replies.")


def takes_edits(post) -> bool:
    """The post's own part of `allow_edit_post`: moderated words stay as the
    moderators found them."""
    return not post.deleted_at and post.status in (
        ContentStatus.VISIBLE,
        ContentStatus.HELD,
    )


def allow_delete_post(user, post) -> None:
    """Delete your own post: its author, while they read the circle."""
    allow_read_circle(user, post.thread.circle)
    if post.author_id != user.pk:
        raise PermissionDenied("Only its author can change a post.")
    if post.deleted_at is not None:
        raise Closed("That post was deleted.")


def allow_edit_post(user, post) -> None:
    """Edit your own post: its author, who may still post in the circle, while the
    thread is open and no moderator has removed or hidden the post."""
    thread = post.thread
    allow_delete_post(user, post)
    allow_post_in_circle(user, thread.circle)
    if thread.locked:
        raise Closed(
            "This thread is locked by a moderator: its posts can no longer be changed."
        )
    if thread.status == ContentStatus.REMOVED or post.status == ContentStatus.REMOVED:
        raise Closed("A moderator removed this, so it can no longer be edited.")
    if post.status == ContentStatus.HIDDEN:
        raise Closed(
            "This post is hidden while moderators review it: it cannot be edited "
            "until they decide."
        )


can_read_circle = return_boolean(allow_read_circle)
can_post_in_circle = return_boolean(allow_post_in_circle)
can_moderate_circle = return_boolean(allow_moderate_circle)
can_manage_circle = return_boolean(allow_manage_circle)
can_see_item = return_boolean(allow_see_item)
can_reply_to_thread = return_boolean(allow_reply_to_thread)
can_reply_to_post = return_boolean(allow_reply_to_post)
can_edit_post = return_boolean(allow_edit_post)


def filter_visible(
    queryset,
    user,
    *,
    circle=None,
    circle_ids=None,
    thread_ids=None,
    public=False,
    hide_authors=(),
):
    """`allow_see_item` as a query (Misago's `filter_*_queryset`): a queryset of
    threads, posts or chat messages narrowed to what `user` may see.

    Where: `circle` (nothing at all if they may not read it), else `circle_ids`
    (the caller's own choice of readable circles), else every circle they read;
    posts may instead be scoped by `thread_ids`, a plain list of threads this
    function already let through (PostgreSQL then filters on the list before it
    parses any text, instead of joining threads).
    What: in `circle`, its moderators see everything and others the visible items
    and their own held ones; across circles nobody gets a moderator's view (a
    moderator meets removed words on their circle's pages). `public` keeps only
    what every reader reads now, visible and not deleted by its author (search,
    reactions, "new since your visit"); `hide_authors` leaves out the words of
    those people (search leaves out whom the person ignores).
    """
    on = "thread__circle_id" if queryset.model is Post else "circle_id"
    moderates = False
    if circle is not None:
        if not can_read_circle(user, circle):
            return queryset.none()
        queryset = queryset.filter(**{on: circle.pk})
        moderates = can_moderate_circle(user, circle)
    elif thread_ids is not None and queryset.model is Post:
        queryset = queryset.filter(thread_id__in=thread_ids)
    else:
        ids = readable_circle_ids(user) if circle_ids is None else circle_ids
        queryset = queryset.filter(**{f"{on}__in": ids})
    queryset = queryset.filter(visible_q(user, moderates=moderates, public=public))
    if public and queryset.model is Post:
        queryset = queryset.filter(deleted_at__isnull=True)
    if hide_authors:
        queryset = queryset.exclude(author_id__in=hide_authors)
    return queryset


def visible_q(user, *, moderates: bool = False, public: bool = False) -> Q:
    """The status part of `filter_visible`, as a condition (for an annotation);
    `public` needs no user."""
    if public:
        return Q(status=ContentStatus.VISIBLE)
    if moderates:
        return Q()
    mine = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    return Q(status=ContentStatus.VISIBLE) | (Q(status=ContentStatus.HELD) & mine)


def readable_circle_ids(user) -> set[int]:
    """Ids of circles whose content `user` may read: staff every circle (one query),
    anyone else those where they hold the view permission, from the request's
    cache (`person_circles`)."""
    if is_staff(user):
        return set(Circle.objects.values_list("id", flat=True))
    if not user.is_authenticated or not user.is_active:
        return set()
    perms, _memberships = person_circles(user)
    return {circle_id for circle_id, held in perms.items() if VIEW in held}


def _active_memberships(user) -> dict[int, Membership]:
    if not user.is_authenticated:
        return {}
    _perms_by_circle, memberships = person_circles(user)
    return {
        circle_id: membership
        for circle_id, membership in memberships.items()
        if membership.state == Membership.State.ACTIVE
    }


def member_circle_ids(user) -> set[int]:
    """Circles `user` is an active member of and may read (left or banned: gone)."""
    return set(_active_memberships(user)) & readable_circle_ids(user)


def keeper_circle_ids(user) -> set[int]:
    """Circles `user` hosts or moderates (an active membership with that role)."""
    keepers = (Membership.Role.HOST, Membership.Role.MODERATOR)
    return {
        circle_id
        for circle_id, membership in _active_memberships(user).items()
        if membership.role in keepers
    }


# --- reactions, saved items, search, health ----------------------------------------
def allow_react_to_item(user, item) -> None:
    """React to a post or chat message: members who may post, on words others can
    read now. Who may not see the item gets the 404 of a missing one."""
    circle = item.content_circle
    if not can_read_circle(user, circle):
        raise Http404("No such item.")
    allow_see_item(user, item)
    if not is_public(item):
        raise PermissionDenied("Reactions are only for words the circle can read.")
    allow_post_in_circle(user, circle)


def allow_save_item(user, item) -> None:
    """Save a thread, post or message for yourself: a reader of its circle who may
    see it; anyone else gets the 404 of a missing item."""
    if not can_read_circle(user, item.content_circle):
        raise Http404("No such item.")
    allow_see_item(user, item)


def allow_see_reactors(user, item) -> None:
    """Who reacted follows the item: whoever may see it, while it is there; a post
    or message its author deleted answers the 404 of a missing item."""
    allow_see_item(user, item)
    if getattr(item, "deleted_at", None):
        raise Http404("No such item.")
