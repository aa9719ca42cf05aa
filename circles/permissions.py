"""Who may do what in a circle: the one module that asks django-guardian.

`can_*` answer a bool (templates, consumers); `check_*` raise `Http404` where the
visitor must not learn that the circle exists, `PermissionDenied` otherwise.
Object permissions are granted and revoked only by `grant_role` / `revoke_all`,
which the membership services call.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from .models import Circle, Membership

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
    """The circle's object permissions of `user`, cached on the user for the request.

    Global (model-level) permissions never count: only guardian's object rows.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    cache = getattr(user, "_circle_perms", None)
    if cache is None:
        cache = {}
        user._circle_perms = cache
    if circle.pk not in cache:
        cache[circle.pk] = set(ObjectPermissionChecker(user).get_user_perms(circle))
    return cache[circle.pk]


def forget_cached_perms(user) -> None:
    """Drop the per-user cache, so that the next check asks the database again."""
    for attribute in ("_circle_perms", "_circle_memberships"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def membership_of(user, circle: Circle) -> Membership | None:
    """The membership, asked once a request (forget_cached_perms drops it)."""
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_circle_memberships", None)
    if cache is None:
        cache = {}
        user._circle_memberships = cache
    if circle.pk not in cache:
        cache[circle.pk] = Membership.objects.filter(user=user, circle=circle).first()
    return cache[circle.pk]


def can_read_circle(user, circle: Circle) -> bool:
    """Read chat, threads and members: active members and site staff."""
    return VIEW in _perms(user, circle) or is_staff(user)


def can_see_circle(user, circle: Circle, *, invite_token: str | None = None) -> bool:
    """May this visitor learn that the circle exists (see its description page)?

    Listed circles that are not invite-only are public. Unlisted and invite-only
    circles are seen only by members, people with a pending request or a waitlist
    place, staff, and whoever holds the current invite link. Banned members see
    nothing.
    """
    if can_read_circle(user, circle):
        return True
    membership = membership_of(user, circle)
    if membership and membership.state == Membership.State.BANNED:
        return False
    if invite_token is not None and invite_token == circle.invite_token:
        return True
    if membership and membership.state in (
        Membership.State.PENDING,
        Membership.State.WAITLISTED,
    ):
        return True
    return (
        circle.visibility == Circle.Visibility.LISTED
        and circle.join_policy != Circle.JoinPolicy.INVITE
    )


def is_muted(membership: Membership | None, *, now=None) -> bool:
    if membership is None or membership.muted_until is None:
        return False
    return membership.muted_until > (now or timezone.now())


def can_post_in_circle(user, circle: Circle) -> bool:
    """Post threads, replies and chat: members with the permission who are not muted."""
    if POST not in _perms(user, circle):
        return False
    return not is_muted(membership_of(user, circle))


def can_moderate_circle(user, circle: Circle) -> bool:
    return MODERATE in _perms(user, circle) or is_staff(user)


def can_manage_circle(user, circle: Circle) -> bool:
    return MANAGE in _perms(user, circle)


def can_join_circle(user, circle: Circle) -> bool:
    if not user.is_authenticated:
        return False
    membership = membership_of(user, circle)
    return membership is None or membership.state == Membership.State.LEFT


def can_see_item(user, item) -> bool:
    """A thread, post or message of a circle the user reads: visible ones to all
    readers, held ones to their author, everything to the circle's moderators."""
    if item.status == "visible":
        return True
    circle = item.thread.circle if hasattr(item, "thread") else item.circle
    if can_moderate_circle(user, circle):
        return True
    return item.status == "held" and item.author_id == user.pk


# --- checks that raise ------------------------------------------------------------
def check_see_circle(user, circle: Circle, *, invite_token: str | None = None) -> None:
    if not can_see_circle(user, circle, invite_token=invite_token):
        raise Http404("No such circle.")


def check_read_circle(user, circle: Circle) -> None:
    """Content is for readers; everyone else gets the same 404 as a missing circle,
    unless they may see the circle's public page (then: forbidden)."""
    if can_read_circle(user, circle):
        return
    check_see_circle(user, circle)
    raise PermissionDenied("Only members of this circle can see this.")


def check_post_in_circle(user, circle: Circle) -> None:
    check_read_circle(user, circle)
    if POST not in _perms(user, circle):
        raise PermissionDenied("Only members of this circle can post here.")
    membership = membership_of(user, circle)
    if is_muted(membership):
        until = timezone.localtime(membership.muted_until).strftime("%d %b %H:%M")
        raise PermissionDenied(f"You are muted in this circle until {until}.")


def check_moderate_circle(user, circle: Circle) -> None:
    check_see_circle(user, circle)
    if not can_moderate_circle(user, circle):
        if not can_read_circle(user, circle):
            raise Http404("No such circle.")
        raise PermissionDenied("Only this circle's hosts and moderators can do that.")


def check_manage_circle(user, circle: Circle) -> None:
    check_see_circle(user, circle)
    if not can_manage_circle(user, circle):
        if not can_read_circle(user, circle):
            raise Http404("No such circle.")
        raise PermissionDenied("Only this circle's hosts can do that.")


def readable_circle_ids(user) -> set[int]:
    """Ids of circles whose content `user` may read, in one query."""
    if is_staff(user):
        return set(Circle.objects.values_list("id", flat=True))
    if not user.is_authenticated:
        return set()
    return set(
        get_objects_for_user(
            user, VIEW, klass=Circle, accept_global_perms=False, with_superuser=False
        ).values_list("id", flat=True)
    )
