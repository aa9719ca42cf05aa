"""Private conversations, for export and deletion (community/accounts/registry.py).

Export: every conversation of the person with every message in it. Deletion: their
conversations close (nobody is left to answer); with `remove` their messages become
a tombstone for the other person, on the page, in `/ws/me/`'s catch-up and in
`dm.history` (events.message_payload). A message under an open report keeps its
words for staff until the report is resolved (`sweep`)."""

from django.db.models import Q

from community import realtime

from . import events
from .models import Conversation, DirectMessage, DirectMessageReport

MODELS = {
    "conversations.Conversation": ("starter", "recipient", "closed_by"),
    "conversations.DirectMessage": ("author",),
    "conversations.DirectMessageReport": ("reporter", "resolved_by"),
}


def export(*, user) -> dict:
    """Three queries, however many conversations."""
    mine = Q(starter=user) | Q(recipient=user)
    conversations = list(
        Conversation.objects.filter(mine)
        .exclude(last_message_id=0)
        .select_related("starter", "recipient", "circle", "closed_by")
        .order_by("id")
    )
    messages: dict[int, list] = {c.pk: [] for c in conversations}
    for m in (
        DirectMessage.objects.filter(conversation__in=conversations)
        .select_related("author")
        .order_by("conversation_id", "seq")
    ):
        messages[m.conversation_id].append(
            {
                "from": "you" if m.author_id == user.pk else m.author.display_name,
                "body": "" if m.erased_at else m.body,
                "created_at": m.created_at.isoformat(),
            }
        )
    return {
        "conversations": [
            {
                "with": c.other(user).display_name,
                "kind": c.kind,
                "circle": c.circle.name if c.circle else None,
                "started_at": c.created_at.isoformat(),
                "closed_at": c.closed_at.isoformat() if c.closed_at else None,
                "messages": messages[c.pk],
            }
            for c in conversations
        ],
        "private_messages_reported": [
            {
                "reason": r.reason,
                "note": r.note,
                "created_at": r.created_at.isoformat(),
                "resolved": r.resolved_at is not None,
            }
            for r in DirectMessageReport.objects.filter(reporter=user).order_by("id")
        ],
    }


def erase(*, user, content: str, now, former: str) -> None:
    open_ones = Conversation.objects.filter(
        Q(starter=user) | Q(recipient=user), closed_at__isnull=True
    )
    for conversation in open_ones:
        conversation.closed_at = now
        conversation.closed_by = user
        conversation.save(update_fields=["closed_at", "closed_by"])
        event = events.dm_closed(conversation, by_name=former)
        for person_id in (conversation.starter_id, conversation.recipient_id):
            realtime.broadcast_on_commit(events.me_group(person_id), event)
    if content != "remove":
        return
    DirectMessage.objects.filter(author=user, erased_at__isnull=True).update(
        erased_at=now
    )
    DirectMessageReport.objects.filter(reporter=user, resolved_at__isnull=False).update(
        note=""
    )
    _blank(now=now)


def _blank(*, now) -> int:
    """Erase the words of erased messages that no open report holds."""
    held = DirectMessageReport.objects.filter(resolved_at__isnull=True).values(
        "message_id"
    )
    return (
        DirectMessage.objects.filter(erased_at__isnull=False)
        .exclude(body="")
        .exclude(pk__in=held)
        .update(body="", body_html="", client_id="")
    )


def sweep(*, now) -> int:
    return _blank(now=now)
