"""Chat writes: messages with a gapless per-circle `seq`, presence, slow mode."""

import logging
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone

from community import input_guard, markup, ratelimit, realtime
from community.templatetags.when import iso_utc
from moderation.audit.services import audit_record
from moderation.flags.services import flags_from_screening
from moderation.models import ModerationAction
from moderation.safety.cases import crisis_words_unposted
from moderation.safety.sensitive import annotate
from moderation.screening import policy as screening
from moderation.screening.crisis import CONTEXT_LINES, CONTEXT_MINUTES, crisis_level

from .. import content_events, permissions
from ..mentions.services import mentions_notify
from ..models import ChatMessage, ChatPresence, Circle, ContentStatus
from . import events
from .broadcast_order import await_previous_broadcast, mark_broadcast
from .selectors import chat_lines_recent, chat_present_names

log = logging.getLogger(__name__)


class ChatRefused(Exception):
    """A chat frame refused, with the contract's error code and words for the person."""

    def __init__(self, code: str, detail: str, **extra):
        self.code, self.detail, self.extra = code, detail, extra
        self.crisis = ""  # set when the refused words suggest danger
        super().__init__(detail)


@dataclass
class ChatPosted:
    message: "ChatMessage"
    created: bool
    crisis: str = ""  # "danger" or "concern": the author gets the crisis frame
    delivered_live: bool = True


def _check_may_chat(author, circle: Circle) -> None:
    """The rule for posting, on what `_lock_and_ask` has just read (a socket lives
    longer than a role, a mute, a password or an account), in the chat's error
    codes."""
    try:
        permissions.allow_post_in_circle(author, circle)
    except permissions.Muted as muted:
        raise ChatRefused("muted", str(muted), until=iso_utc(muted.until)) from None
    except (PermissionDenied, Http404):
        if permissions.can_read_circle(author, circle):  # staff read, never post
            raise ChatRefused(
                "forbidden", "Only members of this circle can chat here."
            ) from None
        raise ChatRefused(
            "forbidden", "You are no longer a member of this circle."
        ) from None


def _check_frame_text(body, client_id) -> None:
    if not isinstance(body, str) or not isinstance(client_id, str):
        raise ChatRefused(
            "invalid", "A message needs a text `body` and a text `client_id`."
        )
    if len(client_id) > 64:
        raise ChatRefused("invalid", "`client_id` is at most 64 characters.")
    if not input_guard.storable(body) or not input_guard.storable(client_id):
        raise ChatRefused(
            "invalid",
            "Your message has a character that cannot be stored (a NUL or a broken "
            "character). Nothing was sent; remove it and send again.",
        )


def _bump_sql() -> str:
    table = connection.ops.quote_name(Circle._meta.db_table)
    return (
        f"UPDATE {table} SET chat_seq = chat_seq + 1 WHERE id = %s "  # noqa: S608
        "RETURNING chat_seq, slow_mode_seconds"
    )


def _lock_and_ask(author, circle: Circle, *, session_key=None) -> tuple[int, int]:
    """Take the circle's next `seq` and read its slow mode, and ask the rule for
    posting afresh (`permissions.refresh_for_write`), under the circle's row lock,
    which stays until the transaction ends: `seq` has no gaps, and a mute or a ban
    committed before the lock was taken is seen. On PostgreSQL one statement (the
    bump as a data-modifying CTE, which runs whether or not the rule finds rows);
    elsewhere the bump, then the rule."""
    rule = permissions.write_rule_query(author, circle, session_key=session_key)
    with connection.cursor() as cursor:
        if rule is not None and connection.vendor == "postgresql":
            cursor.execute(
                f"WITH bump AS ({_bump_sql()}) "  # noqa: S608
                f"SELECT bump.chat_seq, bump.slow_mode_seconds, rule.* "
                f"FROM bump CROSS JOIN ({rule.sql}) AS rule",
                [circle.pk, *rule.params],
            )
            rows = cursor.fetchall()
            rule.apply([row[2:] for row in rows])
            return rows[0][:2] if rows else (0, 0)
        cursor.execute(_bump_sql(), [circle.pk])
        bumped = cursor.fetchone()
        if rule is not None:
            cursor.execute(rule.sql, rule.params)
            rule.apply(cursor.fetchall())
    return bumped or (0, 0)


def _recent_sql(*, client_id: str, slow: int, now) -> tuple[str, list]:
    """One statement, each part an index range (never the author's history): the
    author's messages in the rate-limit window, their last one within slow mode's
    reach, and a stored message with this `client_id`. Its three columns are
    `in_window`, `last` and `existing`; the parameters after the circle and the
    author's ids, which the caller puts in front of each part (see `_recent`)."""
    window = timedelta(seconds=settings.RATE_LIMITS["CHAT"].seconds)
    horizon = now - max(window, timedelta(seconds=slow))
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(ChatMessage._meta.db_table)
    mine = f"FROM {table} WHERE circle_id = %s AND author_id = %s"
    sql = (
        f"SELECT (SELECT COUNT(*) {mine} AND created_at > %s) AS in_window, "  # noqa: S608
        f"(SELECT MAX(created_at) {mine} AND created_at > %s) AS last, "
        f"(SELECT MAX(id) {mine} AND client_id = %s AND client_id <> '') AS existing"
    )
    return sql, [adapt(now - window), adapt(horizon), client_id]


def _recent_params(author, circle: Circle, tail: list) -> list:
    ids = [circle.pk, author.pk]
    return [*ids, tail[0], *ids, tail[1], *ids, tail[2]]


def _recent_row(row) -> dict:
    in_window, last, existing = row
    last = ChatMessage._meta.get_field("created_at").to_python(last)
    if last is not None and timezone.is_naive(last):
        last = timezone.make_aware(last, UTC)
    return {"in_window": in_window, "last": last, "existing": existing}


def _recent(author, circle: Circle, *, client_id: str, slow: int, now) -> dict:
    """The pace and the resend check (`_recent_sql`), asked alone."""
    sql, tail = _recent_sql(client_id=client_id, slow=slow, now=now)
    with connection.cursor() as cursor:
        cursor.execute(sql, _recent_params(author, circle, tail))
        return _recent_row(cursor.fetchone())


_INSERTED = [f for f in ChatMessage._meta.concrete_fields if not f.primary_key]


def _insert_values(message: ChatMessage) -> list:
    """Each column's value as the ORM's insert would prepare it (defaults,
    `auto_now_add`)."""
    return [
        f.get_db_prep_save(f.pre_save(message, True), connection) for f in _INSERTED
    ]


def _insert_if_paced(
    message: ChatMessage, *, client_id: str, slow: int, now
) -> tuple[dict, int | None]:
    """PostgreSQL: the pace, the resend check and the insert in one statement. The
    row goes in only where neither refuses (the same tests as `_check_chat_pace`
    and the resend, in SQL); returns what `_recent` would and the new id, or None
    when nothing was stored."""
    recent_sql, tail = _recent_sql(client_id=client_id, slow=slow, now=now)
    quote = connection.ops.quote_name
    table = quote(ChatMessage._meta.db_table)
    columns = ", ".join(quote(f.column) for f in _INSERTED)
    placeholders = ", ".join(["%s"] * len(_INSERTED))
    cutoff = connection.ops.adapt_datetimefield_value(now - timedelta(seconds=slow))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH recent AS ({recent_sql}), "  # noqa: S608
            f"ins AS (INSERT INTO {table} ({columns}) SELECT {placeholders} "
            "FROM recent WHERE recent.existing IS NULL AND recent.in_window < %s "
            "AND (%s OR recent.last IS NULL OR recent.last <= %s) RETURNING id) "
            "SELECT recent.in_window, recent.last, recent.existing, "
            "(SELECT id FROM ins) FROM recent",
            [
                *_recent_params(message.author, message.circle, tail),
                *_insert_values(message),
                settings.RATE_LIMITS["CHAT"].count,
                slow == 0,
                cutoff,
            ],
        )
        row = cursor.fetchone()
    return _recent_row(row[:3]), row[3]


def _insert(message: ChatMessage, **pace) -> ChatMessage:
    """Store `message` after the pace and the resend check (raising `_Resent` or
    `ChatRefused`): one statement on PostgreSQL, the check then the ORM's insert
    elsewhere."""
    if connection.vendor != "postgresql":
        recent = _recent(
            message.author, message.circle, client_id=message.client_id, **pace
        )
        if recent["existing"] is not None:
            raise _Resent(recent["existing"])
        _check_chat_pace(recent, **pace)
        message.save(force_insert=True)
        return message
    recent, message_id = _insert_if_paced(message, client_id=message.client_id, **pace)
    if recent["existing"] is not None:
        raise _Resent(recent["existing"])
    if message_id is None:
        _check_chat_pace(recent, **pace)
        raise AssertionError("the pace refused a message that _check_chat_pace allows")
    message.pk = message_id
    message._state.adding, message._state.db = False, connection.alias
    return message


def _check_chat_pace(recent: dict, *, slow: int, now) -> None:
    """The per-member rate limit and the circle's slow mode, read under the circle's
    row lock, so every process and every socket of the author agree."""
    if recent["in_window"] >= settings.RATE_LIMITS["CHAT"].count:
        raise ChatRefused(
            "rate_limited",
            ratelimit.ACTION_SENTENCES["CHAT"],
        )
    if slow and recent["last"]:
        wait = recent["last"] + timedelta(seconds=slow) - now
        if wait.total_seconds() > 0:
            raise ChatRefused(
                "rate_limited",
                f"Slow mode is on: one message every {slow} seconds. "
                f"You can send again in {int(wait.total_seconds()) + 1} seconds.",
            )


class _Resent(Exception):
    """A message with this `client_id` is stored: undo the bump, answer with it."""

    def __init__(self, message_id: int):
        self.message_id = message_id


def _stored(author, circle: Circle, **lookup) -> ChatPosted:
    message = ChatMessage.objects.get(circle=circle, author=author, **lookup)
    message.author, message.circle = author, circle
    annotate("message", [message])
    return ChatPosted(message, created=False)


def chat_message_post(
    *, author, circle: Circle, body, client_id="", session_key=None
) -> ChatPosted:
    """Store a chat message (see `_chat_message_store`). A refused message whose
    words suggest danger still reaches the crisis net: the refusal carries the level
    for the author's card, and the moderators are told."""
    try:
        return _chat_message_store(
            author=author,
            circle=circle,
            body=body,
            client_id=client_id,
            session_key=session_key,
        )
    except ChatRefused as refused:
        level = crisis_level(body) if isinstance(body, str) else ""
        if level and refused.code != "forbidden":
            crisis_words_unposted(circle=circle, author=author, level=level)
            refused.crisis = level
        raise


def _chat_message_store(
    *, author, circle: Circle, body, client_id="", session_key=None
) -> ChatPosted:
    """Store a chat message with the circle's next `seq`, then broadcast it.

    A resend with the same `client_id` returns the stored message and stores nothing.
    `session_key`: the socket's session, which must still exist.
    Two statements on PostgreSQL: the bump with the rule, then the pace and the
    resend check with the insert (four elsewhere: the bump, the rule, the pace, the
    insert); watched words come from this process's copy
    (moderation/screening/selectors.py). A line the crisis net may read differently
    after its writer's recent lines (calm alone, with some risk in it) costs one
    more, before the lock: those lines.
    """
    _check_frame_text(body, client_id)
    # The words are read, screened and drawn before the lock is taken (only the
    # crisis net's read of recent lines asks the database); a refusal of them is raised after the rule, so a member
    # who may not post hears that first, as before.
    text = body.strip()
    limit = markup.LIMITS["chat"]
    refused = verdict = html = None
    if not text:
        refused = ChatRefused("invalid", "Write something before sending.")
    elif len(text) > limit:
        refused = ChatRefused(
            "too_long",
            f"That is {len(text):,} characters; a message can have {limit:,}.",
        )
    else:
        verdict = screening.screen(
            circle=circle,
            text=text,
            # read only where the line is calm alone but might not be after them
            earlier=lambda: chat_lines_recent(
                author=author,
                circle=circle,
                minutes=CONTEXT_MINUTES,
                limit=CONTEXT_LINES,
            ),
        )
        if verdict.blocked:
            refused = ChatRefused("invalid", verdict.block_message)
        else:
            html = markup.render(text, kind="chat")
    posted = ChatPosted(
        None, created=True, crisis=verdict.crisis_level if verdict else ""
    )

    def undelivered():
        posted.delivered_live = False

    try:
        with transaction.atomic():
            seq, slow = _lock_and_ask(author, circle, session_key=session_key)
            _check_may_chat(author, circle)
            if refused is not None:
                raise refused
            message = _insert(
                ChatMessage(
                    circle=circle,
                    author=author,
                    seq=seq,
                    body=text,
                    body_html=html,
                    client_id=client_id,
                    status=ContentStatus.HELD
                    if verdict.hold
                    else ContentStatus.VISIBLE,
                ),
                slow=slow,
                now=timezone.now(),
            )
            flags_from_screening(screening=verdict, content=message)
            message.sensitive_level = verdict.crisis_level or ""
            transaction.on_commit(lambda: await_previous_broadcast(circle.pk, seq))
            if verdict.hold:
                # Held: only the author's sockets of this circle hear of it (the
                # consumer drops it elsewhere); others see a tombstone.
                event = content_events.chat_message(message, for_author=True)
                event["circle"] = circle.pk
                realtime.broadcast_on_commit(
                    realtime.user_group(author.pk), event, on_failure=undelivered
                )
            else:
                realtime.broadcast_on_commit(
                    realtime.circle_group(circle.pk),
                    content_events.chat_message(message),
                    on_failure=undelivered,
                )
                transaction.on_commit(
                    lambda: mentions_notify(
                        author=author,
                        circle=circle,
                        text=text,
                        url=message.get_absolute_url(),
                    )
                )
            transaction.on_commit(lambda: mark_broadcast(circle.pk, seq))
    except _Resent as resent:
        return _stored(author, circle, pk=resent.message_id)
    except IntegrityError:
        # The same client_id raced in from another socket: that one was stored.
        return _stored(author, circle, client_id=client_id)
    posted.message = message
    return posted


def chat_presence_enter(*, user, circle: Circle, channel_name: str) -> list[str]:
    """Record an open socket and tell the circle who is here. (How many sockets a
    person may hold is `community.sockets.cap`'s business.)"""
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"circle": circle, "user": user, "seen_at": timezone.now()},
    )
    names = chat_present_names(circle=circle)
    realtime.broadcast_on_commit(
        realtime.circle_group(circle.pk), events.presence(names)
    )
    return names


def chat_presence_refresh(*, channel_name: str) -> None:
    ChatPresence.objects.filter(channel_name=channel_name).update(
        seen_at=timezone.now()
    )


def chat_presence_leave(*, circle: Circle, channel_name: str) -> None:
    ChatPresence.objects.filter(channel_name=channel_name).delete()
    names = chat_present_names(circle=circle)
    realtime.broadcast_on_commit(
        realtime.circle_group(circle.pk), events.presence(names)
    )


@transaction.atomic
def chat_slow_mode_set(*, actor, circle: Circle, seconds: int) -> Circle:
    """Slow mode: each member may send one chat message every `seconds` (0: off)."""
    permissions.allow_moderate_circle(actor, circle)
    if not 0 <= seconds <= 3600:
        raise ValidationError({"seconds": "Slow mode is 0 (off) to 3,600 seconds."})
    circle.slow_mode_seconds = seconds
    circle.save(update_fields=["slow_mode_seconds"])
    audit_record(
        circle=circle,
        actor=actor,
        action=ModerationAction.Action.SLOW_MODE,
        detail=f"{seconds} seconds" if seconds else "off",
    )
    realtime.broadcast_on_commit(
        realtime.circle_group(circle.pk), events.slow_mode_changed(seconds)
    )
    return circle
