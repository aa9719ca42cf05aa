"""The circle's WebSocket: chat, presence, typing, and live events for its pages.

The skeleton (origin, session end, the per-person cap, error frames, catch-up with
`?after`, dedup) is `community.sockets.base.SocketConsumer`; this adds the circle's
own frames. A client frame is one method marked `@client_frame`; a server frame
forwarded as built is one name in `forwards` (or one method of its name when it
needs a check first).
"""

import logging
import time

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import DatabaseError

from community import realtime
from community.sockets.base import TOO_MANY_SOCKETS, SocketConsumer, client_frame
from community.sockets.frames import bound_id
from moderation.safety.cases import alert_audience
from moderation.safety.crisis import crisis_frame

from .. import content_events, permissions
from ..models import Circle, ContentStatus
from . import events, selectors, services
from .writers import on_writer as _on_writer

log = logging.getLogger(__name__)

REFUSED = 4403  # may not read the circle: closed before any data
SESSION_ENDED = 4401  # logged out, password changed, deactivated: the client may retry
__all__ = ["REFUSED", "SESSION_ENDED", "TOO_MANY_SOCKETS", "CircleConsumer"]


class CircleConsumer(SocketConsumer):
    refused_code = REFUSED
    session_ended_code = SESSION_ENDED
    forwards = frozenset(
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
            "slow_mode.changed",
            "reaction.changed",
        }
    )
    after_detail = (
        "`after` must be a message id (a whole number); nothing was "
        "caught up. New messages will still arrive."
    )
    unavailable_detail = (
        "Chat is unavailable for a moment. Your text is still in the box."
    )
    saved_detail = (
        "Your message is saved, but live delivery is down; others will see it "
        "when they reconnect."
    )
    circle: Circle | None = None

    @property
    def page_size(self) -> int:
        return settings.CHAT_HISTORY_PAGE

    # --- connection ---------------------------------------------------------------
    async def admit(self) -> bool:
        self.last_typing = 0.0
        self.present = False  # a presence row of ours exists
        slug = self.scope["url_route"]["kwargs"]["slug"]
        self.circle = await database_sync_to_async(selectors.chat_circle)(slug=slug)
        return self.circle is not None

    def groups_to_join(self) -> tuple[str, ...]:
        return (
            realtime.circle_group(self.circle.pk),
            realtime.user_group(self.user.pk),
        )

    async def still_allowed(self) -> bool:
        """Asked fresh: the person (active, same password) and their permissions."""

        def check():
            permissions.refresh_for_write(
                self.user, self.circle, session_key=self.session_key
            )
            return permissions.can_read_circle(self.user, self.circle)

        return await database_sync_to_async(check)()

    async def opened(self) -> None:
        await database_sync_to_async(services.chat_presence_enter)(
            user=self.user, circle=self.circle, channel_name=self.channel_name
        )
        self.present = True

    async def closed(self) -> None:
        if not self.present:
            return
        try:
            await database_sync_to_async(services.chat_presence_leave)(
                circle=self.circle, channel_name=self.channel_name
            )
        except DatabaseError:
            log.warning("presence not cleared for %s", self.channel_name, exc_info=True)

    async def heartbeat(self) -> None:
        await database_sync_to_async(services.chat_presence_refresh)(
            channel_name=self.channel_name
        )

    # --- chat messages, sent once per socket (keyed by seq) -------------------------
    def items_after(self, after: int) -> list:
        return selectors.chat_messages(
            circle=self.circle, after=after, limit=self.page_size
        )

    def item_key(self, message):
        return message.seq

    def item_frame(self, message) -> str:
        return realtime.frame(
            {
                "type": "chat.message",
                "message": content_events.chat_message_payload(
                    message, viewer_id=self.user.pk
                ),
            }
        )

    # --- frames from the client ----------------------------------------------------
    @client_frame("chat.send")
    async def frame_chat_send(self, frame: dict):
        try:
            posted = await _on_writer(self.circle.pk, services.chat_message_post)(
                author=self.user,
                circle=self.circle,
                body=frame.get("body"),
                client_id=frame.get("client_id", ""),
                session_key=self.session_key,
            )
        except services.ChatRefused as refused:
            await self.send_error(refused.code, refused.detail, **refused.extra)
            if refused.crisis:
                await self.send(
                    text_data=realtime.frame(
                        crisis_frame(
                            level=refused.crisis,
                            posted="no",
                            refused=refused.detail,
                            user=self.user,
                            audience=await self.alert_audience(),
                        )
                    )
                )
            if refused.code == "forbidden" and not await self.still_allowed():
                await self.close(code=REFUSED)
            return
        await self.answer_write(posted)
        if posted.crisis:
            held = posted.message.status == ContentStatus.HELD
            await self.send(
                text_data=realtime.frame(
                    crisis_frame(
                        level=posted.crisis,
                        posted="held" if held else "visible",
                        item=f"message:{posted.message.pk}",
                        user=self.user,
                        audience=await self.alert_audience(),
                    )
                )
            )

    async def alert_audience(self) -> str:
        """Who a crisis alert about this person goes to, as their card says it."""
        return await database_sync_to_async(alert_audience)(
            circle=self.circle, person=self.user
        )

    @client_frame("chat.history")
    async def frame_chat_history(self, frame: dict):
        noun = "a message id"
        try:
            after = bound_id(frame, "after", noun=noun)
            before = bound_id(frame, "before", noun=noun)
        except ValueError as exc:
            await self.send_error("invalid", str(exc))
            return
        if not await self.still_allowed():
            await self.send_error("forbidden", "You are no longer a member here.")
            await self.close(code=REFUSED)
            return
        messages = await database_sync_to_async(selectors.chat_messages)(
            circle=self.circle, after=after, before=before, limit=self.page_size
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

    @client_frame("typing")
    async def frame_typing(self, frame: dict):
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
    async def chat_message(self, event: dict):
        if event.get("circle", self.circle.pk) != self.circle.pk:
            return  # the author's held message in another circle: not this one's seq
        await self.send_once(event, event.get("seq"))

    async def typing(self, event: dict):
        if event.get("sender_channel") != self.channel_name:
            await self.send(text_data=event["text"])

    async def safety_alert(self, event: dict):
        """`safety.alert` (to hosts and moderators, chosen when it is sent) and
        `chat.cared` (to an author) ride the person's group: only this circle's."""
        if event.get("circle") == self.circle.pk:
            await self.send(text_data=event["text"])

    chat_cared = safety_alert

    async def access_revoked(self, event: dict):
        if event.get("circle") == self.circle.pk:
            await self.close(code=REFUSED)

    async def mute_changed(self, event: dict):
        if event.get("circle") == self.circle.pk:
            await self.send(
                text_data=realtime.frame(
                    {"type": "muted", "until": event.get("muted_until")}
                )
            )
