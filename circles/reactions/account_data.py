"""A person's reactions, for export and deletion (community/accounts/registry.py):
with `remove` they are taken back, and the counts others see drop."""

from community import realtime

from . import events, selectors
from .models import Reaction

MODELS = {"reactions.Reaction": ("user",)}


def export(*, user) -> dict:
    reactions = (
        Reaction.objects.filter(user=user)
        .select_related("post__thread__circle", "message__circle")
        .order_by("id")
    )
    return {"reactions": [_row(r) for r in reactions]}


def _row(reaction) -> dict:
    if reaction.post_id:
        thread = reaction.post.thread
        on = {"kind": "post", "id": reaction.post_id, "thread": thread.title}
        circle = thread.circle
    else:
        on = {"kind": "message", "id": reaction.message_id}
        circle = reaction.message.circle
    return {
        "reaction": reaction.reaction,
        "label": Reaction.Kind(reaction.reaction).label,
        "on": on,
        "circle": circle.name,
        "created_at": reaction.created_at.isoformat(),
    }


def erase(*, user, content: str, now, former: str) -> None:
    if content != "remove":
        return
    given = list(
        Reaction.objects.filter(user=user).select_related("post__thread", "message")
    )
    Reaction.objects.filter(user=user).delete()
    touched = set()
    for reaction in given:
        item = reaction.post or reaction.message
        kind = "post" if reaction.post_id else "message"
        circle_id = item.thread.circle_id if kind == "post" else item.circle_id
        touched.add((kind, item.pk, circle_id))
    for kind, item_id, circle_id in sorted(touched):
        entry = selectors.counts_for(kind=kind, ids=[item_id])[item_id]
        people = selectors.people_count(kind=kind, item_id=item_id)
        realtime.broadcast_on_commit(
            realtime.circle_group(circle_id),
            events.reaction_changed(
                kind=kind, item_id=item_id, counts=entry["counts"], people=people
            ),
        )
