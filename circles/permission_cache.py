"""The per-request cache of a person's circle permissions (`_circle_perms`,
`_circle_memberships` on the user object, asked by `circles.permissions`): filled
for every circle of the person in one query the first time a request asks
(`circle_answers`), forgotten, and refilled for one circle in one query for a write
from a long-lived socket. Only `circles.permissions` imports this module; everyone
else asks it."""

import functools
from datetime import UTC

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from .models import CircleUserObjectPermission, Membership

__all__ = [
    "circle_answers",
    "forget_cached_perms",
    "person_circles",
    "refresh_for_write",
    "write_rule_query",
]
# Set once `_circle_perms` and `_circle_memberships` hold every circle of the person:
# a circle missing from them then has no permission and no membership.
COMPLETE = "_circle_answers_complete"


def forget_cached_perms(user) -> None:
    """Drop the per-user cache, so that the next check asks the database again."""
    for attribute in ("_circle_perms", "_circle_memberships", COMPLETE):
        if hasattr(user, attribute):
            delattr(user, attribute)


def circle_answers(user, circle_id: int) -> tuple[set[str], Membership | None]:
    """The person's object permissions in the circle and their membership (or None),
    from the cache; the first question of a request reads every circle of the
    person at once (`person_circles`), so a page that asks about the circle, the
    person's role and their other circles costs one query."""
    perms = getattr(user, "_circle_perms", None)
    members = getattr(user, "_circle_memberships", None)
    if perms is not None and members is not None:
        if circle_id in perms and circle_id in members:
            return perms[circle_id], members[circle_id]
    if not getattr(user, COMPLETE, False):
        person_circles(user)
    return user._circle_perms.get(circle_id, set()), user._circle_memberships.get(
        circle_id
    )


def person_circles(user) -> tuple[dict[int, set[str]], dict[int, Membership]]:
    """Every circle permission and membership of `user` (any state), read in one
    query unless this user object holds them already: circle id -> codenames, and
    circle id -> membership. A person's circles are few (a row or two each), so
    reading them all costs what reading one did, and serves the whole request."""
    if getattr(user, COMPLETE, False):
        return user._circle_perms, user._circle_memberships
    perms: dict[int, set[str]] = {}
    memberships: dict[int, Membership] = {}
    if user.is_authenticated:
        with connection.cursor() as cursor:
            cursor.execute(_PERSON_SQL(), [user.pk, user.pk])
            rows = cursor.fetchall()
        names = [f.attname for f in Membership._meta.concrete_fields]
        for circle_id, codename, *values in rows:
            if codename is not None:
                perms.setdefault(circle_id, set()).add(codename)
            else:
                memberships[circle_id] = Membership.from_db(
                    "default",
                    names,
                    [_from_sql(n, v) for n, v in zip(names, values, strict=True)],
                )
    user._circle_perms, user._circle_memberships = perms, memberships
    setattr(user, COMPLETE, True)
    return perms, memberships


# --- asked fresh for a write from a long-lived socket ------------------------------
DB_SESSIONS = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def refresh_for_write(user, circle, *, session_key: str | None = None) -> None:
    """Ask again, in one query, everything `allow_post_in_circle` depends on: the
    person (still active, same password as when the socket opened), their object
    permissions here and their membership. The answers fill the caches `_perms` and
    `membership_of` read, so the rule itself then asks nothing more.

    A changed password counts as inactive for this user object: a socket opened
    before the change must not keep writing with it; so does a `session_key` whose
    session has ended (logged out), where sessions are kept in the database.
    Written in SQL: it runs on every chat frame, and building it through the ORM
    cost more than asking."""
    rule = write_rule_query(user, circle, session_key=session_key)
    if rule is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(rule.sql, rule.params)
        rows = cursor.fetchall()
    rule.apply(rows)


class WriteRuleQuery:
    """The statement `refresh_for_write` asks, for a caller that asks it inside a
    statement of its own (the chat write asks it together with its seq bump, under
    the circle's row lock): `sql` and `params` to run, then `apply(rows)` with the
    rows it gave (their first columns, in order)."""

    def __init__(self, user, circle, *, with_session: bool, params: list):
        self.user, self.circle, self.with_session = user, circle, with_session
        self.sql, self.params = _REFRESH_SQL(with_session), params

    def apply(self, rows) -> None:
        user, circle = self.user, self.circle
        if not rows:  # the account is gone
            user.is_active = False
            return
        is_active, is_staff, password = rows[0][:3]
        logged_in = not self.with_session or rows[0][8] > 0
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


def write_rule_query(
    user, circle, *, session_key: str | None = None
) -> WriteRuleQuery | None:
    """Forget the cached answers and build the statement that refills them (None for
    an anonymous visitor, who has nothing to refill)."""
    forget_cached_perms(user)
    if not user.is_authenticated:
        return None
    with_session = bool(session_key) and settings.SESSION_ENGINE in DB_SESSIONS
    params = [circle.pk, circle.pk, user.pk]
    if with_session:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        params = [session_key, now, *params]
    return WriteRuleQuery(user, circle, with_session=with_session, params=params)


def _aware(value, field: str = "muted_until"):
    """A datetime read by raw SQL (SQLite gives text), made aware as the ORM would."""
    value = Membership._meta.get_field(field).to_python(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _from_sql(attname: str, value):
    if attname in _DATETIME_FIELDS():
        return _aware(value, attname)
    return value


@functools.cache
def _DATETIME_FIELDS() -> frozenset:  # noqa: N802 (a constant, built once)
    return frozenset(
        f.attname
        for f in Membership._meta.concrete_fields
        if f.get_internal_type() == "DateTimeField"
    )


@functools.cache
def _PERSON_SQL() -> str:  # noqa: N802 (built once)
    """Memberships (codename NULL) and object permissions (membership columns NULL)
    of one person, in one statement."""
    quote = connection.ops.quote_name
    columns = [f.column for f in Membership._meta.concrete_fields]
    members = quote(Membership._meta.db_table)
    perms = quote(CircleUserObjectPermission._meta.db_table)
    permission = quote(Permission._meta.db_table)
    membership_columns = ", ".join(f"m.{quote(c)}" for c in columns)
    nulls = ", ".join("NULL" for _ in columns)
    return (
        f"SELECT m.circle_id, NULL, {membership_columns} "  # noqa: S608
        f"FROM {members} m WHERE m.user_id = %s "
        f"UNION ALL SELECT g.content_object_id, p.codename, {nulls} "
        f"FROM {perms} g INNER JOIN {permission} p ON p.id = g.permission_id "
        "WHERE g.user_id = %s"
    )


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
