"""The circle's WebSocket: chat, presence, typing, and live events for its pages.

Thin by design: parse and check a frame's shape, call one service, answer. Events
from the channel layer carry their client frame already serialised (`text`), built
by the server from stored data; handlers only forward it.
"""

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError

from community import realtime
from moderation.safety.crisis import crisis_text

from .. import content_events, permissions
from ..models import Circle
from . import events, selectors, services

log = logging.getLogger(__name__)

REFUSED = 4403  # may not read the circle: closed before any data
MAX_FRAME_CHARS = 32 * 1024  # a 4,000-character message fits many times over
PRESENCE_REFRESH_SECONDS = 60
PURE_FORWARDS = frozenset(
    {
        "chat.message",
        "chat.removed",
        "chat.restored",
        "post.created",
        "post.removed",
        "post.restored",
        "presence",
        "typing",
        "notification.created",
        "slow_mode.changed",
        "reaction.changed",
    }
)


def _error(code: str, detail: str) -> str:
    return realtime.frame({"type": "error", "code": code, "detail": detail})


def _bound(frame: dict, name: str) -> int | None:
    value = frame.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"`{name}` must be a message id (a whole number).")
    return value


class CircleConsumer(AsyncWebsocketConsumer):
    circle: Circle | None = None

    # --- connection ---------------------------------------------------------------
    async def connect(self):
        self.user = self.scope["user"]
        self.circle = None
        self.sent_seqs: set[int] = set()  # every message this socket has been sent
        self.caught_up: set[int] = set()  # those sent by the catch-up on connect
        self.last_typing = 0.0
        self.refresher = None
        slug = self.scope["url_route"]["kwargs"]["slug"]
        circle = await database_sync_to_async(self._readable_circle)(slug)
        # Accept, then close with our code: a refusal before accepting reaches the
        # browser as a bare HTTP 403 with no code to act on.
        await self.accept()
        if circle is None:
            await self.close(code=REFUSED)
            return
        self.circle = circle
        try:
            await self.channel_layer.group_add(
                realtime.circle_group(circle.pk), self.channel_name
            )
            await self.channel_layer.group_add(
                realtime.user_group(self.user.pk), self.channel_name
            )
        except Exception:
            log.warning("channel layer unavailable at connect", exc_info=True)
            await self.send(
                text_data=_error(
                    "unavailable",
                    "Live updates are down for a moment; reconnecting will catch you up.",
                )
            )
        after = self._after_from_query()
        if after is not None:
            await self._send_after(after)
        await database_sync_to_async(services.chat_presence_enter)(
            user=self.user, circle=circle, channel_name=self.channel_name
        )
        self.refresher = asyncio.ensure_future(self._refresh_presence())

    def _readable_circle(self, slug: str) -> Circle | None:
        circle = Circle.objects.filter(slug=slug).first()
        if circle is None or not permissions.can_read_circle(self.user, circle):
            return None
        return circle

    def _after_from_query(self) -> int | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        value = (query.get("after") or [""])[0]
        return int(value) if value.isdigit() else None

    async def disconnect(self, code):
        if self.refresher is not None:
            self.refresher.cancel()
        if self.circle is None:
            return
        for group in (
            realtime.circle_group(self.circle.pk),
            realtime.user_group(self.user.pk),
        ):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                log.warning("channel layer unavailable at disconnect", exc_info=True)
        try:
            await database_sync_to_async(services.chat_presence_leave)(
                circle=self.circle, channel_name=self.channel_name
            )
        except DatabaseError:
            log.warning("presence not cleared for %s", self.channel_name, exc_info=True)

    async def _refresh_presence(self):
        while True:
            await asyncio.sleep(PRESENCE_REFRESH_SECONDS)
            try:
                await database_sync_to_async(services.chat_presence_refresh)(
                    channel_name=self.channel_name
                )
            except DatabaseError:
                log.warning("presence refresh failed", exc_info=True)

    # --- frames from the client ----------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        if self.circle is None:
            return
        if text_data is None:
            await self.send(
                text_data=_error("invalid", "Send JSON text frames, not binary.")
            )
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.send(
                text_data=_error(
                    "too_long",
                    f"A frame can be at most {MAX_FRAME_CHARS:,} characters.",
                )
            )
            return
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.send(
                text_data=_error("invalid", "That frame is not valid JSON.")
            )
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.send(
                text_data=_error(
                    "invalid", "A frame is a JSON object with a text `type`."
                )
            )
            return
        handler = {
            "chat.send": self._chat_send,
            "chat.history": self._chat_history,
            "typing": self._typing,
        }.get(frame["type"])
        if handler is None:
            await self.send(
                text_data=_error(
                    "invalid",
                    "Unknown frame type; use chat.send, chat.history or typing.",
                )
            )
            return
        try:
            await handler(frame)
        except DatabaseError:
            log.warning(
                "database unavailable for a %s frame", frame["type"], exc_info=True
            )
            await self.send(
                text_data=_error(
                    "unavailable",
                    "Chat is unavailable for a moment. Your text is still in the box.",
                )
            )

    async def _chat_send(self, frame: dict):
        try:
            posted = await database_sync_to_async(services.chat_message_post)(
                author=self.user,
                circle=self.circle,
                body=frame.get("body"),
                client_id=frame.get("client_id", ""),
            )
        except services.ChatRefused as refused:
            await self.send(text_data=_error(refused.code, refused.detail))
            if refused.code == "forbidden" and not await self._still_reader():
                await self.close(code=REFUSED)
            return
        if (not posted.created or not posted.delivered_live) and (
            posted.message.seq not in self.caught_up
        ):
            # A resend, or the layer is down: the sender still gets the stored message
            # (unless the catch-up on this connection has already sent it).
            await self._send_message(posted.message)
        if not posted.delivered_live:
            await self.send(
                text_data=_error(
                    "unavailable",
                    "Your message is saved, but live delivery is down; others will see it "
                    "when they reconnect.",
                )
            )
        if posted.crisis:
            await self.send(
                text_data=realtime.frame({"type": "crisis", "text": crisis_text()})
            )

    async def _still_reader(self) -> bool:
        def check():
            permissions.forget_cached_perms(self.user)
            return permissions.can_read_circle(self.user, self.circle)

        return await database_sync_to_async(check)()

    async def _send_message(self, message) -> None:
        await self.send(
            text_data=realtime.frame(
                {
                    "type": "chat.message",
                    "message": content_events.chat_message_payload(message),
                }
            )
        )
        self.sent_seqs.add(message.seq)

    async def _chat_history(self, frame: dict):
        try:
            after, before = _bound(frame, "after"), _bound(frame, "before")
        except ValueError as exc:
            await self.send(text_data=_error("invalid", str(exc)))
            return
        if not await self._still_reader():
            await self.send(
                text_data=_error("forbidden", "You are no longer a member here.")
            )
            await self.close(code=REFUSED)
            return
        messages = await database_sync_to_async(selectors.chat_messages)(
            circle=self.circle,
            after=after,
            before=before,
            limit=settings.CHAT_HISTORY_PAGE,
        )
        await self.send(
            text_data=realtime.frame(
                {
                    "type": "chat.history",
                    "messages": [
                        content_events.chat_message_payload(m) for m in messages
                    ],
                }
            )
        )

    async def _send_after(self, after: int) -> None:
        """Catch-up on connect: every message after `after`, before any live one."""
        while True:
            page = await database_sync_to_async(selectors.chat_messages)(
                circle=self.circle, after=after, limit=settings.CHAT_HISTORY_PAGE
            )
            for message in page:
                await self._send_message(message)
                self.caught_up.add(message.seq)
            if len(page) < settings.CHAT_HISTORY_PAGE:
                return
            after = page[-1].pk

    async def _typing(self, frame: dict):
        now = time.monotonic()
        if now - self.last_typing < settings.TYPING_THROTTLE_SECONDS:
            return
        self.last_typing = now
        if not await database_sync_to_async(permissions.can_post_in_circle)(
            self.user, self.circle
        ):
            return
        try:
            await self.channel_layer.group_send(
                realtime.circle_group(self.circle.pk),
                events.typing(
                    author=self.user.display_name, sender_channel=self.channel_name
                ),
            )
        except Exception:
            log.warning("typing not sent: channel layer unavailable", exc_info=True)

    # --- events from the channel layer -------------------------------------------------
    async def dispatch(self, message):
        """Forwarding a pre-built frame touches no database, so it skips Channels'
        per-event close_old_connections (a thread hop per event per recipient)."""
        if message.get("type") in PURE_FORWARDS and "text" in message:
            await getattr(self, get_handler_name(message))(message)
            return
        await super().dispatch(message)

    async def forward(self, event: dict):
        await self.send(text_data=event["text"])

    async def chat_message(self, event: dict):
        seq = event.get("seq")
        if seq in self.sent_seqs:
            return  # the catch-up (or a resend answer) already sent it
        if seq is not None:
            self.sent_seqs.add(seq)
        await self.send(text_data=event["text"])

    async def typing(self, event: dict):
        if event.get("sender_channel") != self.channel_name:
            await self.send(text_data=event["text"])

    chat_removed = chat_restored = forward
    post_created = post_removed = post_restored = forward
    presence = notification_created = slow_mode_changed = forward
    reaction_changed = forward

    async def access_revoked(self, event: dict):
        if self.circle is not None and event.get("circle") == self.circle.pk:
            await self.close(code=REFUSED)

    async def mute_changed(self, event: dict):
        if self.circle is not None and event.get("circle") == self.circle.pk:
            await self.send(
                text_data=realtime.frame(
                    {"type": "muted", "until": event.get("muted_until")}
                )
            )

    async def members_changed(self, event: dict):
        """Roles changed: nothing to tell the client, permissions are asked per frame."""
