"""The skeleton every socket of the site shares; a kind of socket adds its own frames.

Origin: checked before any consumer runs, for every socket route alike
(`community.origins.SiteOriginValidator` wraps the router in `community.asgi`).

Connecting: an anonymous visitor, or one `admit` refuses, is accepted and then closed
with `refused_code` (a refusal before accepting reaches the browser as a bare 403
with no code to act on). The socket joins its groups first and asks `still_allowed`
after, so a ban or a log-out committed meanwhile is either seen or heard. Then the
per-person cap (`cap`: one count over every kind of socket, taken before the socket
is accepted so that none is ever open uncounted; over it, closed with 4429 and a
frame saying why), then `opened`, then the catch-up of `?after=<id>` (a bad id
answers `invalid`; the socket stays open).

Frames from the client: parsed by `parse_frame`, then sent to the method marked
`@client_frame("<type>")`; a bad frame or an unknown type answers an `error` frame and
the connection stays open; the database being down answers `unavailable`.

The channel layer (Redis) down: a socket that cannot join its groups, or whose
layer cannot be read, is closed with TRY_AGAIN_LATER (1013) and a frame saying why,
never a 500 or a traceback; the client retries with backoff and its catch-up
misses nothing. The failure is logged once a minute per process, not per socket.

Events from the channel layer: a type in `forwards` is sent as the frame it carries
(`text`, built once by the server), without Channels' per-event database clean-up;
a type with a method of its name (`safety.alert` -> `safety_alert`) goes to it; any
other type is ignored (the person's user group carries events for every kind).

Items sent by id (chat and private messages) go out once per socket: `sent` holds
their keys, whether they went by catch-up, by a resend answer or live.
"""

import asyncio
import logging
import time

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.db import DatabaseError

from . import cap
from .frames import FrameError, after_from_query, error, parse_frame

log = logging.getLogger(__name__)

REFUSED = 4403  # may not open this socket: closed, the client does not retry
TOO_MANY_SOCKETS = 4429  # over SOCKETS_PER_PERSON: a frame says why, then closed
TRY_AGAIN_LATER = 1013  # the channel layer is down: the client retries later
LIVE_DOWN = "Live updates are down for a moment; reconnecting will catch you up."
LAYER_DOWN_EVENT = "socket.layer_down"  # raised here, never sent by anyone
LOG_EVERY_SECONDS = 60.0
_last_logged = {"at": float("-inf")}


def _log_layer_down(what: str) -> None:
    """Once a minute per process: a Redis outage is one line, not one per socket."""
    now = time.monotonic()
    if now - _last_logged["at"] >= LOG_EVERY_SECONDS:
        _last_logged["at"] = now
        log.warning("channel layer unavailable (%s); sockets closed with 1013", what)


def client_frame(frame_type: str):
    """Mark a method as the handler of one client frame type (one method per frame)."""

    def mark(method):
        method.client_frame = frame_type
        return method

    return mark


def _in_words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


class SocketConsumer(AsyncWebsocketConsumer):
    refused_code = REFUSED
    session_ended_code = REFUSED
    forwards: frozenset[str] = frozenset()
    # Catch-up and history pages of items sent by id.
    page_size = 50
    after_detail = (
        "`after` must be an id (a whole number); nothing was caught up. New "
        "messages will still arrive."
    )
    unavailable_detail = "This is unavailable for a moment. Your text is still here."
    saved_detail = "Saved, but live delivery is down; reconnecting catches everyone up."
    client_frames: dict[str, str] = {}  # frame type -> method name, by @client_frame

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        frames: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                frame_type = getattr(member, "client_frame", None)
                if frame_type:
                    frames[frame_type] = name
        cls.client_frames = frames

    # --- what a kind of socket says about itself -------------------------------------
    async def admit(self) -> bool:
        """Before joining groups: may this logged-in person open this socket?"""
        return True

    def groups_to_join(self) -> tuple[str, ...]:
        return ()

    async def still_allowed(self) -> bool:
        """After joining groups, asked fresh."""
        return True

    async def opened(self) -> None:
        """Admitted and counted; before the catch-up."""

    async def closed(self) -> None:
        """The socket went away after `opened`."""

    async def heartbeat(self) -> None:
        """Every HEARTBEAT_SECONDS while open."""

    def items_after(self, after: int) -> list:
        """(Sync, run in a thread.) Up to page_size items after the id `after`."""
        return []

    def item_key(self, item):
        return item.pk

    def item_frame(self, item) -> str:
        raise NotImplementedError

    # --- the channel layer --------------------------------------------------------
    async def __call__(self, scope, receive, send):
        """Channels' own loop (channels.consumer.AsyncConsumer.__call__), with the
        channel layer's receive guarded: its failure becomes one LAYER_DOWN_EVENT
        for this socket, not an exception (a 500 before the handshake)."""
        self.scope = scope
        self.layer_down = False
        self.handshake_done = False
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        sources = [receive]
        if self.channel_layer is not None:
            try:
                self.channel_name = await self.channel_layer.new_channel()
            except Exception:
                _log_layer_down("new channel")
                self.channel_name = ""
                self.layer_down = True
            sources.append(self._layer_receive)
        try:
            await await_many_dispatch(sources, self.dispatch)
        except StopConsumer:
            pass

    async def _layer_receive(self) -> dict:
        if self.layer_down:  # said once; nothing more comes from a broken layer
            await asyncio.Event().wait()
        try:
            return await self.channel_layer.receive(self.channel_name)
        except asyncio.CancelledError:
            raise
        except Exception:
            _log_layer_down("receive")
            self.layer_down = True
            return {"type": LAYER_DOWN_EVENT}

    async def socket_layer_down(self, event) -> None:
        if self.handshake_done:  # else connect sees `layer_down` itself
            self.handshake_done = False  # closed once
            await self._close_layer_down()

    async def _close_layer_down(self) -> None:
        """Accepted, told why in a frame, closed with TRY_AGAIN_LATER: the client
        backs off and retries, and its catch-up brings what it missed."""
        await self._leave()
        if getattr(self, "slot", None) is not None:
            await sync_to_async(cap.release, thread_sensitive=False)(
                slot=self.slot, connection=self.channel_name
            )
            self.slot = None
        await self.send_error("unavailable", LIVE_DOWN)
        await self.close(code=TRY_AGAIN_LATER)

    # --- connection ---------------------------------------------------------------
    async def connect(self):
        self.user = self.scope["user"]
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.sent: set = set()  # keys of items this socket has sent
        self.caught_up: set = set()  # those sent by the catch-up on connect
        self.live = False  # admitted: events may be forwarded
        self.joined: tuple[str, ...] = ()
        self.slot: str | None = None
        self.beat = None
        if not self.user.is_authenticated or not await self.admit():
            await self.accept()
            await self.close(code=self.refused_code)
            return
        joined = not self.layer_down and await self._join(self.groups_to_join())
        allowed = await self.still_allowed()
        # Counted before it is accepted, so a socket is never open uncounted: one
        # opened just after it finds its slot taken, whatever the timing.
        over_cap = None
        if allowed and joined and not self.layer_down:
            try:
                self.slot = await sync_to_async(cap.claim, thread_sensitive=False)(
                    user_id=self.user.pk, connection=self.channel_name
                )
            except cap.TooManySockets as refused:
                over_cap = refused
        await self.accept()
        if not allowed:
            await self._leave()
            await self.close(code=self.refused_code)
            return
        if not joined or self.layer_down:
            self.layer_down = True
            await self._close_layer_down()
            return
        self.handshake_done = True  # a later failure of the layer closes it too
        if over_cap is not None:
            await self._leave()
            await self.send_error(over_cap.code, over_cap.detail)
            await self.close(code=TOO_MANY_SOCKETS)
            return
        self.live = True
        await self.opened()
        after = after_from_query(self.scope.get("query_string", b""))
        if after is None:
            await self.send_error("invalid", self.after_detail)
        elif after:
            await self.catch_up(after[0])
        self.beat = asyncio.ensure_future(self._beat())

    async def _join(self, groups: tuple[str, ...]) -> bool:
        self.joined = groups
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
        except Exception:
            _log_layer_down("join")
            return False
        return True

    async def _leave(self) -> None:
        if getattr(self, "layer_down", False):  # nothing to discard from
            self.joined = ()
            return
        for group in self.joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                log.warning("channel layer unavailable at disconnect", exc_info=True)
        self.joined = ()

    async def disconnect(self, code):
        if getattr(self, "beat", None) is not None:
            self.beat.cancel()
        await self._leave()
        if getattr(self, "slot", None) is not None:
            await sync_to_async(cap.release, thread_sensitive=False)(
                slot=self.slot, connection=self.channel_name
            )
            self.slot = None
        if getattr(self, "live", False):
            self.live = False
            await self.closed()

    async def _beat(self):
        while True:
            await asyncio.sleep(cap.HEARTBEAT_SECONDS)
            if self.slot is not None:
                await sync_to_async(cap.keep, thread_sensitive=False)(
                    slot=self.slot, connection=self.channel_name
                )
            try:
                await self.heartbeat()
            except DatabaseError:
                log.warning("socket heartbeat failed", exc_info=True)

    # --- items sent by id: catch-up and dedup ---------------------------------------
    async def catch_up(self, after: int) -> None:
        """Every item after `after`, oldest first, before any live one."""
        while True:
            page = await database_sync_to_async(self.items_after)(after)
            for item in page:
                await self.send_item(item)
                self.caught_up.add(self.item_key(item))
            if len(page) < self.page_size:
                return
            after = page[-1].pk

    async def send_item(self, item) -> None:
        self.sent.add(self.item_key(item))
        await self.send(text_data=self.item_frame(item))

    async def send_once(self, event: dict, key) -> None:
        """Forward a live item unless this socket has sent it already."""
        if key in self.sent:
            return  # the catch-up (or a resend answer) already sent it
        if key is not None:
            self.sent.add(key)
        await self.send(text_data=event["text"])

    async def answer_write(self, written) -> None:
        """After a write by `client_id` (`written`: `.message`, `.created`,
        `.delivered_live`): a resend, or a write the layer could not deliver, still
        gets the stored item back (unless the catch-up sent it)."""
        item = written.message
        if (not written.created or not written.delivered_live) and (
            self.item_key(item) not in self.caught_up
        ):
            await self.send_item(item)
        if not written.delivered_live:
            await self.send_error("unavailable", self.saved_detail)

    # --- frames from the client ----------------------------------------------------
    async def send_error(self, code: str, detail: str, **extra) -> None:
        await self.send(text_data=error(code, detail, **extra))

    def refuse_frame(self, frame: dict) -> str | None:
        """Words refusing a well-formed frame before its handler sees it, or None."""
        return None

    async def receive(self, text_data=None, bytes_data=None):
        if not self.live:
            return
        try:
            frame = parse_frame(text_data)
        except FrameError as bad:
            await self.send_error(bad.code, bad.detail)
            return
        refusal = self.refuse_frame(frame)
        if refusal:
            await self.send_error("invalid", refusal)
            return
        handler = self.client_frames.get(frame["type"])
        if handler is None:
            await self.send_error(
                "invalid",
                f"Unknown frame type; use {_in_words(list(self.client_frames))}.",
            )
            return
        try:
            await getattr(self, handler)(frame)
        except DatabaseError:
            log.warning(
                "database unavailable for a %s frame", frame["type"], exc_info=True
            )
            await self.send_error("unavailable", self.unavailable_detail)

    # --- events from the channel layer -------------------------------------------------
    async def dispatch(self, message):
        kind = message.get("type", "")
        if kind.startswith("websocket."):
            await super().dispatch(message)
            return
        handler = getattr(self, get_handler_name(message), None)
        if getattr(handler, "client_frame", None):
            handler = None  # a client frame's method never answers an event
        if kind in self.forwards and "text" in message:
            # A built frame touches no database: skip Channels' per-event
            # close_old_connections (a thread hop per event per recipient).
            if not self.live:
                return  # refused, closing: nothing more for it
            if handler is None:
                await self.send(text_data=message["text"])
            else:
                await handler(message)
            return
        if handler is not None and self.live:
            await super().dispatch(message)

    async def session_ended(self, event: dict):
        """Log-out, password change, deactivation, deletion: close at once. An event
        naming a session closes only that session's sockets."""
        if event.get("session") in (None, self.session_key):
            await self.close(code=self.session_ended_code)
