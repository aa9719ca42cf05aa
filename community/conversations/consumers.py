"""The person's own socket, `/ws/me/`: private messages, notifications and crisis
cards, live on every page.

The skeleton (origin, session end, the per-person cap shared with circle sockets,
error frames, catch-up with `?after`, dedup) is `community.sockets.base`; this adds
the private-message frames, each calling one service or selector.
"""

from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model

from community.sockets.base import REFUSED, SocketConsumer, client_frame
from community.sockets.frames import bound_id

from . import events, selectors, services
from .errors import DMRefused

__all__ = ["REFUSED", "MeConsumer"]


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


class MeConsumer(SocketConsumer):
    forwards = frozenset(
        {
            "dm.message",
            "dm.closed",
            "notification.created",
            "notifications.read",  # the new unread count, for every open page
            "crisis",
            "safety.alert",
        }
    )
    page_size = selectors.HISTORY_PAGE
    after_detail = (
        "`after` must be a message id (a whole number); nothing was caught up. New "
        "messages will still arrive."
    )
    unavailable_detail = (
        "Messages are unavailable for a moment. Your text is still in the box."
    )
    saved_detail = (
        "Your message is saved, but live delivery is down; it will arrive when the "
        "other person reconnects."
    )

    def groups_to_join(self) -> tuple[str, ...]:
        return (events.user_group(self.user.pk), events.me_group(self.user.pk))

    # --- private messages, sent once per socket (keyed by id) ----------------------
    def items_after(self, after: int) -> list:
        return selectors.messages_after(user=self.user, after=after)

    def item_frame(self, message) -> str:
        return events.dm_message(message)["text"]

    # --- frames from the client ----------------------------------------------------
    def refuse_frame(self, frame: dict) -> str | None:
        if any(_bad_text(v) for v in frame.values()):
            return (
                "That text holds characters that cannot be stored "
                "(NUL or a lone surrogate). Nothing was sent."
            )
        return None

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

    @client_frame("dm.send")
    async def frame_dm_send(self, frame: dict):
        try:
            sent = await database_sync_to_async(self._send_sync)(frame)
        except DMRefused as refused:
            await self.send_error(refused.code, refused.detail)
            return
        if sent is None:
            await self.send_error(
                "forbidden", "This account can no longer send messages."
            )
            await self.close(code=REFUSED)
            return
        await self.answer_write(sent)

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

    @client_frame("dm.history")
    async def frame_dm_history(self, frame: dict):
        try:
            after, before = bound_id(frame, "after"), bound_id(frame, "before")
        except ValueError as exc:
            await self.send_error("invalid", str(exc))
            return
        try:
            conversation, page = await database_sync_to_async(self._history_sync)(
                frame, after, before
            )
        except DMRefused as refused:
            await self.send_error(refused.code, refused.detail)
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

    @client_frame("dm.read")
    async def frame_dm_read(self, frame: dict):
        """A message shown live counts as read (the badge stays true)."""
        try:
            up_to = bound_id(frame, "id")
        except ValueError as exc:
            await self.send_error("invalid", str(exc))
            return
        if up_to is None:
            await self.send_error("invalid", "`id` is required.")
            return
        try:
            await database_sync_to_async(self._read_sync)(frame, up_to)
        except DMRefused as refused:
            await self.send_error(refused.code, refused.detail)

    # --- events from the channel layer -------------------------------------------------
    async def dm_message(self, event: dict):
        await self.send_once(event, event.get("dm_id"))
