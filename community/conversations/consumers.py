"""The person's own socket, `/ws/me/`: private messages, notifications and crisis
cards, live on every page.

Thin like the circle socket: parse and check a frame's shape, call one service or
selector, answer. Events from the channel layer carry their frame already built.
"""

import logging
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth import get_user_model
from django.db import DatabaseError

from community.sockets import FrameError, parse_frame

from . import events, selectors, services
from .errors import DMRefused

log = logging.getLogger(__name__)

REFUSED = 4403  # not logged in, or the session ended: closed, do not reconnect
PURE_FORWARDS = frozenset({"dm.closed", "notification.created", "crisis"})


def _error(code: str, detail: str) -> str:
    return events.frame({"type": "error", "code": code, "detail": detail})


def _whole(frame: dict, name: str) -> int | None:
    value = frame.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"`{name}` must be an id (a whole number).")
    return value


def _bad_text(value) -> bool:
    """NUL characters and lone surrogates (from JSON escapes) are refused."""
    if not isinstance(value, str):
        return False
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class MeConsumer(AsyncWebsocketConsumer):
    groups_joined: tuple[str, ...] = ()

    async def connect(self):
        self.user = self.scope["user"]
        self.sent_ids: set[int] = set()  # every message this socket has been sent
        self.caught_up: set[int] = set()  # those sent by the catch-up on connect
        self.groups_joined = ()
        await self.accept()  # then close with our code, which a browser can read
        if not self.user.is_authenticated:
            await self.close(code=REFUSED)
            return
        session = self.scope.get("session")
        self.session_key = getattr(session, "session_key", None)
        self.groups_joined = (
            events.user_group(self.user.pk),
            events.me_group(self.user.pk),
        )
        try:
            for group in self.groups_joined:
                await self.channel_layer.group_add(group, self.channel_name)
        except Exception:
            log.warning("channel layer unavailable at connect", exc_info=True)
            await self.send(
                text_data=_error(
                    "unavailable",
                    "Live updates are down for a moment; reconnecting will catch you up.",
                )
            )
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        after = (query.get("after") or [""])[0]
        if after.isdigit():
            await self._catch_up(int(after))

    async def disconnect(self, code):
        for group in self.groups_joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                log.warning("channel layer unavailable at disconnect", exc_info=True)

    async def _catch_up(self, after: int) -> None:
        """Every message of mine after `after`, oldest first, before any live one."""
        while True:
            page = await database_sync_to_async(selectors.messages_after)(
                user=self.user, after=after
            )
            for message in page:
                await self._send_message(message)
                self.caught_up.add(message.pk)
            if len(page) < selectors.HISTORY_PAGE:
                return
            after = page[-1].pk

    async def _send_message(self, message) -> None:
        self.sent_ids.add(message.pk)
        await self.send(text_data=events.dm_message(message)["text"])

    # --- frames from the client ----------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        if not self.groups_joined:
            return
        try:
            frame = parse_frame(text_data)
        except FrameError as bad:
            await self.send(text_data=_error(bad.code, bad.detail))
            return
        if any(_bad_text(v) for v in frame.values()):
            await self.send(
                text_data=_error(
                    "invalid",
                    "That text holds characters that cannot be stored "
                    "(NUL or a lone surrogate). Nothing was sent.",
                )
            )
            return
        handler = {
            "dm.send": self._dm_send,
            "dm.history": self._dm_history,
            "dm.read": self._dm_read,
        }.get(frame["type"])
        if handler is None:
            await self.send(
                text_data=_error(
                    "invalid", "Unknown frame type; use dm.send, dm.history or dm.read."
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
                    "Messages are unavailable for a moment. Your text is still in the box.",
                )
            )

    def _fresh_user(self):
        """Writes ask the database who this is now: a deactivated person's socket
        writes nothing more."""
        return get_user_model().objects.filter(pk=self.user.pk, is_active=True).first()

    def _send_sync(self, frame: dict):
        user = self._fresh_user()
        if user is None:
            return None
        conversation = selectors.conversation_for(
            user=user, conversation_id=frame.get("conversation")
        )
        return services.dm_send(
            author=user,
            conversation=conversation,
            body=frame.get("body"),
            client_id=frame.get("client_id", ""),
        )

    async def _dm_send(self, frame: dict):
        try:
            sent = await database_sync_to_async(self._send_sync)(frame)
        except DMRefused as refused:
            await self.send(text_data=_error(refused.code, refused.detail))
            return
        if sent is None:
            await self.send(
                text_data=_error(
                    "forbidden", "This account can no longer send messages."
                )
            )
            await self.close(code=REFUSED)
            return
        if (not sent.created or not sent.delivered_live) and (
            sent.message.pk not in self.caught_up
        ):
            # A resend, or the layer is down: the sender still gets the stored message
            # (unless the catch-up on this connection has already sent it).
            await self._send_message(sent.message)
        if not sent.delivered_live:
            await self.send(
                text_data=_error(
                    "unavailable",
                    "Your message is saved, but live delivery is down; it will "
                    "arrive when the other person reconnects.",
                )
            )

    def _history_sync(self, frame: dict, after, before):
        conversation = selectors.conversation_for(
            user=self.user, conversation_id=frame.get("conversation")
        )
        return conversation, selectors.conversation_messages(
            conversation=conversation,
            after=after,
            before=before,
            limit=selectors.HISTORY_PAGE,
        )

    async def _dm_history(self, frame: dict):
        try:
            after, before = _whole(frame, "after"), _whole(frame, "before")
        except ValueError as exc:
            await self.send(text_data=_error("invalid", str(exc)))
            return
        try:
            conversation, page = await database_sync_to_async(self._history_sync)(
                frame, after, before
            )
        except DMRefused as refused:
            await self.send(text_data=_error(refused.code, refused.detail))
            return
        await self.send(
            text_data=events.frame(
                {
                    "type": "dm.history",
                    "conversation": conversation.pk,
                    "messages": [events.message_payload(m) for m in page],
                }
            )
        )

    def _read_sync(self, frame: dict, up_to: int):
        conversation = selectors.conversation_for(
            user=self.user, conversation_id=frame.get("conversation")
        )
        services.conversation_mark_read(
            user=self.user, conversation=conversation, up_to=up_to
        )

    async def _dm_read(self, frame: dict):
        """A message shown live counts as read (the badge stays true)."""
        try:
            up_to = _whole(frame, "id")
        except ValueError as exc:
            await self.send(text_data=_error("invalid", str(exc)))
            return
        if up_to is None:
            await self.send(text_data=_error("invalid", "`id` is required."))
            return
        try:
            await database_sync_to_async(self._read_sync)(frame, up_to)
        except DMRefused as refused:
            await self.send(text_data=_error(refused.code, refused.detail))

    # --- events from the channel layer -------------------------------------------------
    async def dispatch(self, message):
        """Forwarding a built frame touches no database: skip Channels' per-event
        close_old_connections."""
        kind = message.get("type", "")
        if (kind in PURE_FORWARDS or kind == "dm.message") and "text" in message:
            await getattr(self, get_handler_name(message))(message)
            return
        if not kind.startswith("websocket.") and not hasattr(
            self, get_handler_name(message)
        ):
            return  # the user group also carries circle events (mutes, held chat)
        await super().dispatch(message)

    async def forward(self, event: dict):
        await self.send(text_data=event["text"])

    dm_closed = notification_created = crisis = safety_alert = forward

    async def dm_message(self, event: dict):
        dm_id = event.get("dm_id")
        if dm_id in self.sent_ids:
            return  # the catch-up (or a resend answer) already sent it
        if dm_id is not None:
            self.sent_ids.add(dm_id)
        await self.send(text_data=event["text"])

    async def session_ended(self, event: dict):
        key = event.get("session")
        if key is None or key == self.session_key:
            await self.close(code=REFUSED)
