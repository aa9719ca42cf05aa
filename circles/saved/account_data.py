"""A person's saved items, for export and deletion (community/accounts/registry.py):
private to them, so they go whatever the choice."""

from .models import SavedItem

MODELS = {"saved.SavedItem": ("user",)}


def export(*, user) -> dict:
    saved = (
        SavedItem.objects.filter(user=user)
        .select_related("thread__circle", "post__thread__circle", "message__circle")
        .order_by("id")
    )
    return {"saved": [_row(item) for item in saved]}


def _row(item) -> dict:
    if item.thread_id:
        on = {"kind": "thread", "id": item.thread_id, "title": item.thread.title}
        circle = item.thread.circle
    elif item.post_id:
        thread = item.post.thread
        on = {"kind": "post", "id": item.post_id, "thread": thread.title}
        circle = thread.circle
    else:
        on = {"kind": "message", "id": item.message_id}
        circle = item.message.circle
    return {"on": on, "circle": circle.name, "saved_at": item.created_at.isoformat()}


def erase(*, user, content: str, now, former: str) -> None:
    SavedItem.objects.filter(user=user).delete()
