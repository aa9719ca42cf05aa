"""Who may do what in a circle: the one module that asks django-guardian.

Each rule is written once, as `allow_<verb>_<thing>()`, which raises `Http404`
where the visitor must not learn that the thing exists and `PermissionDenied`
otherwise; `can_<verb>_<thing>()` is derived from it (templates, consumers).
Object permissions are granted and revoked only by `grant_role` / `revoke_all`,
which the membership services call.
"""

import functools
from datetime import UTC

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from community.templatetags.when import fallback_text

from .models import Circle, CircleUserObjectPermission, ContentStatus, Membership

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


def allow_join_circle(user, circle: Circle) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("Log in to join a circle.")
    membership = membership_of(user, circle)
    if membership is not None and membership.state != Membership.State.LEFT:
        raise PermissionDenied("You are already in this circle or asked to join it.")


def allow_see_item(user, item) -> None:
    """A thread, post or message of a circle the user reads: visible ones to all
    readers, held ones to their author, everything to the circle's moderators."""
    if item.status == ContentStatus.VISIBLE:
        return
    if can_moderate_circle(user, item.content_circle):
        return
    if (
        item.status in (ContentStatus.HELD, ContentStatus.CARED)
        and item.author_id == user.pk
    ):
        return
    raise Http404("No such item.")


can_see_circle = return_boolean(allow_see_circle)
can_read_circle = return_boolean(allow_read_circle)
can_post_in_circle = return_boolean(allow_post_in_circle)
can_moderate_circle = return_boolean(allow_moderate_circle)
can_manage_circle = return_boolean(allow_manage_circle)
can_join_circle = return_boolean(allow_join_circle)
can_see_item = return_boolean(allow_see_item)


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


# --- asked fresh for a write from a long-lived socket ------------------------------
DB_SESSIONS = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def refresh_for_write(user, circle: Circle, *, session_key: str | None = None) -> None:
    """Ask again, in one query, everything `allow_post_in_circle` depends on: the
    person (still active, same password as when the socket opened), their object
    permissions here and their membership. The answers fill the caches `_perms` and
    `membership_of` read, so the rule itself then asks nothing more.

    A changed password counts as inactive for this user object: a socket opened
    before the change must not keep writing with it; so does a `session_key` whose
    session has ended (logged out), where sessions are kept in the database.
    Written in SQL: it runs on every chat frame, and building it through the ORM
    cost more than asking."""
    forget_cached_perms(user)
    if not user.is_authenticated:
        return
    with_session = bool(session_key) and settings.SESSION_ENGINE in DB_SESSIONS
    params = [circle.pk, circle.pk, user.pk]
    if with_session:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        params = [session_key, now, *params]
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL(with_session), params)
        rows = cursor.fetchall()
    if not rows:  # the account is gone
        user.is_active = False
        return
    is_active, is_staff, password = rows[0][:3]
    logged_in = not with_session or rows[0][8] > 0
    user.is_active = bool(is_active) and password == user.password and logged_in
    user.is_staff = bool(is_staff)
    user._circle_perms = {circle.pk: {row[3] for row in rows if row[3]}}
    membership = None
    member_id, state, role, muted_until = rows[0][4:8]
    if member_id is not None:
        membership = Membership.from_db(
            "default",
            ["id", "user_id", "circle_id", "state", "role", "muted_until"],
            [member_id, user.pk, circle.pk, state, role, _aware(muted_until)],
        )
    user._circle_memberships = {circle.pk: membership}


def _aware(value):
    """A datetime read by raw SQL (SQLite gives text), made aware as the ORM would."""
    value = Membership._meta.get_field("muted_until").to_python(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


@functools.cache
def _REFRESH_SQL(with_session: bool) -> str:  # noqa: N802 (built once per shape)
    quote = connection.ops.quote_name
    session = ""
    if with_session:
        session = (
            f", (SELECT COUNT(*) FROM {quote(Session._meta.db_table)} "
            "WHERE session_key = %s AND expire_date > %s)"
        )
    user_table = quote(get_user_model()._meta.db_table)
    perms = quote(CircleUserObjectPermission._meta.db_table)
    permission = quote(Permission._meta.db_table)
    members = quote(Membership._meta.db_table)
    return (
        "SELECT u.is_active, u.is_staff, u.password, p.codename, "  # noqa: S608
        f"m.id, m.state, m.role, m.muted_until{session} "
        f"FROM {user_table} u "
        f"LEFT JOIN {perms} g ON g.user_id = u.id AND g.content_object_id = %s "
        f"LEFT JOIN {permission} p ON p.id = g.permission_id "
        f"LEFT JOIN {members} m ON m.user_id = u.id AND m.circle_id = %s "
        "WHERE u.id = %s"
    )


# --- reactions, saved items, search, health ----------------------------------------
def allow_react_to_item(user, item) -> None:
    """React to a post or chat message: members who may post, on words others can
    read now. Who may not see the item gets the 404 of a missing one."""
    circle = item.content_circle
    if not can_read_circle(user, circle):
        raise Http404("No such item.")
    allow_see_item(user, item)
    if item.status != ContentStatus.VISIBLE or getattr(item, "deleted_at", None):
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


can_react_to_item = return_boolean(allow_react_to_item)
can_save_item = return_boolean(allow_save_item)
