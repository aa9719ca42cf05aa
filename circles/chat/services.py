"""Chat writes: messages with a gapless per-circle `seq`, presence, slow mode."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone

from community import markup, realtime
from community.templatetags.when import iso_utc
from moderation.audit.services import audit_record
from moderation.flags.services import flags_from_screening
from moderation.models import ModerationAction
from moderation.safety.services import crisis_words_unposted
from moderation.screening import policy as screening
from moderation.screening.crisis import crisis_level

from .. import content_events, permissions
from ..models import ChatMessage, ChatPresence, Circle, ContentStatus
from . import events
from .selectors import chat_present_names


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
    """The rule for posting, asked fresh (a socket lives longer than a role), in the
    chat's error codes."""
    permissions.forget_cached_perms(author)
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


def _check_chat_pace(author, circle: Circle, *, now) -> None:
    """The per-member rate limit and the circle's slow mode, from the database, so
    every process agrees."""
    # Asked fresh: a socket's circle object is as old as the connection.
    slow = Circle.objects.filter(pk=circle.pk).values_list(
        "slow_mode_seconds", flat=True
    )[0]
    window = timedelta(seconds=settings.CHAT_RATE_LIMIT_SECONDS)
    horizon = now - max(window, timedelta(seconds=slow))  # an index range, not history
    recent = ChatMessage.objects.filter(
        circle=circle, author=author, created_at__gt=horizon
    ).aggregate(
        in_window=Count("id", filter=Q(created_at__gt=now - window)),
        last=Max("created_at"),
    )
    if recent["in_window"] >= settings.CHAT_RATE_LIMIT_COUNT:
        raise ChatRefused(
            "rate_limited",
            "You are sending messages very quickly. Take a breath; your text is still here.",
        )
    if slow and recent["last"]:
        wait = recent["last"] + timedelta(seconds=slow) - now
        if wait.total_seconds() > 0:
            raise ChatRefused(
                "rate_limited",
                f"Slow mode is on: one message every {slow} seconds. "
                f"You can send again in {int(wait.total_seconds()) + 1} seconds.",
            )


def chat_message_post(*, author, circle: Circle, body, client_id="") -> ChatPosted:
    """Store a chat message (see `_chat_message_store`). A refused message whose
    words suggest danger still reaches the crisis net: the refusal carries the level
    for the author's card, and the moderators are told."""
    try:
        return _chat_message_store(
            author=author, circle=circle, body=body, client_id=client_id
        )
    except ChatRefused as refused:
        level = crisis_level(body) if isinstance(body, str) else ""
        if level and refused.code != "forbidden":
            crisis_words_unposted(circle=circle, author=author, level=level)
            refused.crisis = level
        raise


def _chat_message_store(*, author, circle: Circle, body, client_id="") -> ChatPosted:
    """Store a chat message with the circle's next `seq`, then broadcast it.

    A resend with the same `client_id` returns the stored message and stores nothing.
    """
    if not isinstance(body, str) or not isinstance(client_id, str):
        raise ChatRefused(
            "invalid", "A message needs a text `body` and a text `client_id`."
        )
    if len(client_id) > 64:
        raise ChatRefused("invalid", "`client_id` is at most 64 characters.")
    _check_may_chat(author, circle)
    if client_id:
        existing = (
            ChatMessage.objects.filter(
                circle=circle, author=author, client_id=client_id
            )
            .select_related("author")
            .first()
        )
        if existing is not None:
            return ChatPosted(existing, created=False)
    text = body.strip()
    if not text:
        raise ChatRefused("invalid", "Write something before sending.")
    limit = markup.LIMITS["chat"]
    if len(text) > limit:
        raise ChatRefused(
            "too_long",
            f"That is {len(text):,} characters; a message can have {limit:,}.",
        )
    now = timezone.now()
    _check_chat_pace(author, circle, now=now)
    verdict = screening.screen(circle=circle, text=text)
    if verdict.blocked:
        raise ChatRefused("invalid", verdict.block_message)
    html = markup.render(text, kind="chat")
    posted = ChatPosted(None, created=True, crisis=verdict.crisis_level)

    def undelivered():
        posted.delivered_live = False

    try:
        with transaction.atomic():
            locked = (
                Circle.objects.select_for_update()
                .only("id", "chat_seq")
                .get(pk=circle.pk)
            )
            locked.chat_seq += 1
            Circle.objects.filter(pk=circle.pk).update(chat_seq=locked.chat_seq)
            message = ChatMessage.objects.create(
                circle=circle,
                author=author,
                seq=locked.chat_seq,
                body=text,
                body_html=html,
                client_id=client_id,
                status=ContentStatus.HELD if verdict.hold else ContentStatus.VISIBLE,
            )
            flags_from_screening(screening=verdict, content=message)
            if verdict.hold:
                # Held: only the author's own sockets hear of it; others see a tombstone.
                realtime.broadcast_on_commit(
                    realtime.user_group(author.pk),
                    content_events.chat_message(message, for_author=True),
                    on_failure=undelivered,
                )
            else:
                realtime.broadcast_on_commit(
                    realtime.circle_group(circle.pk),
                    content_events.chat_message(message),
                    on_failure=undelivered,
                )
    except IntegrityError:
        # The same client_id raced in from another socket: that one was stored.
        existing = ChatMessage.objects.select_related("author").get(
            circle=circle, author=author, client_id=client_id
        )
        return ChatPosted(existing, created=False)
    posted.message = message
    return posted


def chat_presence_enter(*, user, circle: Circle, channel_name: str) -> list[str]:
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
