"""The circle's WebSocket: chat, presence, typing, and live events for its pages.

Thin by design: parse and check a frame's shape, call one service, answer. Events
from the channel layer carry their client frame already serialised (`text`), built
by the server from stored data; handlers only forward it.
"""

import asyncio
import logging
import time
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError

from community import realtime
from community.sockets import FrameError, parse_frame
from moderation.safety.crisis import crisis_frame

from .. import content_events, permissions
from ..models import Circle, ContentStatus
from . import events, selectors, services
from .frames import MAX_ID
from .frames import bound_id as _bound
from .writers import on_writer as _on_writer

log = logging.getLogger(__name__)

REFUSED = 4403  # may not read the circle: closed before any data
SESSION_ENDED = 4401  # logged out, password changed, deactivated: the client may retry
TOO_MANY_SOCKETS = 4429  # over SOCKETS_PER_PERSON: a frame says why, then closed
PRESENCE_REFRESH_SECONDS = 60
PURE_FORWARDS = frozenset(
    {
        "chat.message",
        "chat.removed",
        "chat.restored",
        "post.created",
        "post.removed",
        "post.restored",
        "post.edited",
        "presence",
        "typing",
        "notification.created",  # dropped: notifications go to /ws/me/ only
        "slow_mode.changed",
        "reaction.changed",
    }
)


def _error(code: str, detail: str, **extra) -> str:
    return realtime.frame({"type": "error", "code": code, "detail": detail, **extra})


class CircleConsumer(AsyncWebsocketConsumer):
    circle: Circle | None = None

    # --- connection ---------------------------------------------------------------
    async def connect(self):
        self.user = self.scope["user"]
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.circle = None
        self.sent_seqs: set[int] = set()  # every message this socket has been sent
        self.caught_up: set[int] = set()  # those sent by the catch-up on connect
        self.last_typing = 0.0
        self.refresher = None
        self.present = False  # a presence row of ours exists
        slug = self.scope["url_route"]["kwargs"]["slug"]
        # A refusal is accepted, then closed with our code: one before accepting
        # reaches the browser as a bare HTTP 403 with no code to act on.
        circle = await database_sync_to_async(selectors.chat_circle)(slug=slug)
        if circle is None or not self.user.is_authenticated:
            await self.accept()
            await self.close(code=REFUSED)
            return
        # Join the groups first, then ask: a ban or a log-out committed while this
        # socket connects is either seen by the check or heard as an event.
        self.circle = circle
        joined = await self._join_groups()
        allowed = await self._still_reader()
        await self.accept()
        if not allowed:
            await self._leave_groups()
            self.circle = None
            await self.close(code=REFUSED)
            return
        if not joined:
            await self.send(
                text_data=_error(
                    "unavailable",
                    "Live updates are down for a moment; reconnecting will catch you up.",
                )
            )
        try:
            await database_sync_to_async(services.chat_presence_enter)(
                user=self.user,
                circle=circle,
                channel_name=self.channel_name,
                cap=services.sockets_per_person(),
            )
        except services.ChatRefused as refused:
            await self._leave_groups()
            await self.send(text_data=_error(refused.code, refused.detail))
            self.circle = None
            await self.close(code=TOO_MANY_SOCKETS)
            return
        self.present = True
        after = self._after_from_query()
        if after is None:
            await self.send(
                text_data=_error(
                    "invalid",
                    "`after` must be a message id (a whole number); nothing was "
                    "caught up. New messages will still arrive.",
                )
            )
        elif after:
            await self._send_after(after[0])
        self.refresher = asyncio.ensure_future(self._refresh_presence())

    def _groups(self) -> tuple[str, str]:
        return (
            realtime.circle_group(self.circle.pk),
            realtime.user_group(self.user.pk),
        )

    async def _join_groups(self) -> bool:
        try:
            for group in self._groups():
                await self.channel_layer.group_add(group, self.channel_name)
        except Exception:
            log.warning("channel layer unavailable at connect", exc_info=True)
            return False
        return True

    async def _leave_groups(self) -> None:
        for group in self._groups():
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                log.warning("channel layer unavailable at disconnect", exc_info=True)

    def _after_from_query(self) -> tuple[int, ...] | None:
        """(): no `after`; (n,): catch up after n; None: not a message id."""
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        value = (query.get("after") or [""])[0]
        if not value:
            return ()
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
        if not (value.isascii() and value.isdigit() and len(value) <= 19):
            return None
        if int(value) > MAX_ID:
            return None
        return (int(value),)

    async def disconnect(self, code):
        if self.refresher is not None:
            self.refresher.cancel()
        if self.circle is None:
            return
        await self._leave_groups()
        if not self.present:
            return
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
        try:
            frame = parse_frame(text_data)
        except FrameError as bad:
            await self.send(text_data=_error(bad.code, bad.detail))
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
            posted = await _on_writer(self.circle.pk, services.chat_message_post)(
                author=self.user,
                circle=self.circle,
                body=frame.get("body"),
                client_id=frame.get("client_id", ""),
                session_key=self.session_key,
            )
        except services.ChatRefused as refused:
            await self.send(
                text_data=_error(refused.code, refused.detail, **refused.extra)
            )
            if refused.crisis:
                await self.send(
                    text_data=realtime.frame(
                        crisis_frame(
                            level=refused.crisis, posted="no", refused=refused.detail
                        )
                    )
                )
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
            held = posted.message.status == ContentStatus.HELD
            await self.send(
                text_data=realtime.frame(
                    crisis_frame(
                        level=posted.crisis, posted="held" if held else "visible"
                    )
                )
            )

    async def _still_reader(self) -> bool:
        """Asked fresh: the person (active, same password) and their permissions."""

        def check():
            permissions.refresh_for_write(
                self.user, self.circle, session_key=self.session_key
            )
            return permissions.can_read_circle(self.user, self.circle)

        return await database_sync_to_async(check)()

    async def _send_message(self, message) -> None:
        await self.send(
            text_data=realtime.frame(
                {
                    "type": "chat.message",
                    "message": content_events.chat_message_payload(
                        message, viewer_id=self.user.pk
                    ),
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
                        content_events.chat_message_payload(m, viewer_id=self.user.pk)
                        for m in messages
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

        def may_post():  # asked fresh: a mute since the last frame counts
            permissions.refresh_for_write(
                self.user, self.circle, session_key=self.session_key
            )
            return permissions.can_post_in_circle(self.user, self.circle)

        if not await database_sync_to_async(may_post)():
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
        if self.circle is None:
            return  # refused, closing: nothing more for it
        if event.get("circle", self.circle.pk) != self.circle.pk:
            return  # the author's held message in another circle: not this one's seq
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
    post_created = post_removed = post_restored = post_edited = forward
    presence = slow_mode_changed = reaction_changed = forward

    async def safety_alert(self, event: dict):
        """`safety.alert` (to hosts and moderators, chosen when it is sent) and
        `chat.cared` (to an author) ride the person's group: only this circle's."""
        if self.circle is not None and event.get("circle") == self.circle.pk:
            await self.send(text_data=event["text"])

    chat_cared = safety_alert

    async def notification_created(self, event: dict):
        """Notifications arrive once, on /ws/me/ (the contract's decision)."""

    async def session_ended(self, event: dict):
        """Log-out, password change, deactivation, deletion: close at once. An event
        naming a session closes only that session's sockets."""
        if event.get("session") in (None, self.session_key):
            await self.close(code=SESSION_ENDED)

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
