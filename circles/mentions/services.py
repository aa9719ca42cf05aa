"""@mentions: `@` followed by a current member's display name (the longest that
fits, since names may contain spaces) notifies that member once."""

import re

from community import markup
from community.notifications.services import notification_send

from ..models import ChatMessage, Circle, Post, PostRevision
from . import selectors

MAX_NOTIFIED = 20  # a text that names the whole circle notifies no more than this


def _is_boundary(text: str, end: int) -> bool:
    """The name ends here: "@Ann" in "@Annabel" is not Ann."""
    return end >= len(text) or not (text[end].isalnum() or text[end] == "_")


def mentioned_members(*, text: str, members: dict) -> list:
    """Members named after an `@` in `text`, in order, each once. `members` maps a
    folded display name to the user. Longest name first: "@Ann Lee" is Ann Lee,
    not Ann, when both are members."""
    names = sorted(members, key=len, reverse=True)
    folded = text.casefold()
    found, seen = [], set()
    start = folded.find("@")
    while start != -1:
        rest = start + 1
        for name in names:
            end = rest + len(name)
            if folded.startswith(name, rest) and _is_boundary(folded, end):
                user = members[name]
                if user.pk not in seen:
                    seen.add(user.pk)
                    found.append(user)
                break
        start = folded.find("@", rest)
    return found


def mentions_notify(*, author, circle: Circle, text: str, url: str, skip=()) -> list:
    """Notify (kind `mention`) each current member named in `text`, once; never the
    author, nobody who left, nobody who ignores the author (they are not told, and
    the author is not told either), nobody in `skip` (ids already told about these
    words, say by a reply notification). Call it after the words are stored and
    visible. Returns the people notified."""
    if "@" not in (text or ""):
        return []
    members = selectors.member_names(circle=circle)
    named = [
        user
        for user in mentioned_members(text=text, members=members)
        if user.pk != author.pk and user.pk not in skip
    ][:MAX_NOTIFIED]
    if not named:
        return []
    notified = []
    for user in named:
        sent = notification_send(
            recipient=user,
            kind="mention",
            text=f"{author.display_name} mentioned you in {circle.name}.",
            url=url,
            circle=circle,
            about=author,
        )
        if sent is not None:
            notified.append(user)
    return notified


def _mention_pattern(name: str) -> re.Pattern:
    """`@Name` as a whole name, any case: not "@Annabel" for Ann."""
    return re.compile(r"@" + re.escape(name) + r"(?![\w])", re.IGNORECASE)


def mentions_forget(*, name: str, former: str) -> int:
    """A deleted account's mentions read `former` in posts (their text, and so their
    search index), their earlier versions and chat messages; quotes of the person's
    words stay. Idempotent. Returns how many rows changed."""
    name = (name or "").strip()
    if not name:
        return 0
    pattern = _mention_pattern(name)
    changed = 0
    for model, kind in ((Post, "post"), (PostRevision, "post"), (ChatMessage, "chat")):
        rows = model.objects.filter(body__icontains=f"@{name}").only("pk", "body")
        for row in rows.iterator(chunk_size=200):
            body = pattern.sub(former, row.body)
            if body == row.body:
                continue
            body = body[: markup.LIMITS[kind]]  # a name longer than it was, at the cap
            model.objects.filter(pk=row.pk).update(
                body=body, body_html=markup.render(body, kind=kind)
            )
            changed += 1
    return changed
