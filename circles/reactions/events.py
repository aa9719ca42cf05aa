"""The reactions room's one frame: new totals for an item, sent to its circle.

It lives here rather than in circles/content_events.py (frames about moderated
content, which draws chat messages with this room's reaction bar): reactions
import nothing that draws them, so the rooms stay acyclic."""

from community.realtime import client_event


def reaction_changed(*, kind: str, item_id: int, counts: dict, people: int) -> dict:
    """Totals only: who reacted is asked for separately (ignores are applied there)."""
    return client_event(
        "reaction.changed",
        {"kind": kind, "id": item_id, "counts": counts, "people": people},
    )
