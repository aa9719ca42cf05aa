"""Export my data: one document of everything the person made or was sent, as JSON
or as a page. Each app adds its sections through the registry (registry.py). Never
anyone else's address, never what others wrote that the person may not see."""

import zoneinfo
from datetime import datetime

from django.utils import timezone

from . import registry


def account_export(*, user) -> dict:
    """A constant number of queries, however much the person wrote."""
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "email_verified": user.email_verified_at is not None,
            "date_joined": user.date_joined.isoformat(),
            "allow_messages": user.allow_messages,
            "time_zone": user.time_zone,
            "quiet_hours": user.quiet_hours,
            "email_choices": user.notify,
        },
        **registry.export_sections(user=user),
    }


# The page version of the export: the same document, for reading. Times in the
# person's time zone, display names, and none of the ids a person does not need.
SECTION_TITLES = {
    "profile": "About you",
    "memberships": "Your circles",
    "threads": "Threads you started",
    "asks": "Your asks",
    "posts": "Your replies",
    "chat_messages": "Your chat messages",
    "conversations": "Your private conversations",
    "private_messages_reported": "Private messages you reported",
    "reactions": "Your reactions",
    "saved": "What you saved",
    "flags_made": "Flags you made",
    "notifications": "Your notifications",
}
HIDDEN_KEYS = {"id", "thread", "parent", "helped_post", "circle_slug", "seq", "url"}
LABELS = {
    "circle": "Circle",
    "title": "Title",
    "thread_title": "In the thread",
    "body": "Text",
    "kind": "Kind",
    "role": "Role",
    "state": "State",
    "status": "Status",
    "with": "With",
    "from": "From",
    "reason": "Reason",
    "note": "Note",
    "reaction": "Reaction",
    "label": "Reaction",
    "text": "Text",
    "read": "Read",
    "resolved": "Resolved",
    "needs": "Needs",
    "reply_norm": "Replies wanted",
    "content_warning": "Content warning",
    "on": "On",
    "messages": "Messages",
}


def _zone(user):
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _moment(text: str, zone) -> str:
    moment = datetime.fromisoformat(text).astimezone(zone)
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def _label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    return key.replace("_at", "").replace("_", " ").capitalize()


def _readable(value, key: str, zone):
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and (key.endswith("_at") or key == "created"):
        try:
            return _moment(value, zone)
        except ValueError:
            return value
    if isinstance(value, dict):
        return _fields(value, zone)
    if isinstance(value, list):
        if all(isinstance(item, dict) for item in value):
            return [_fields(item, zone) for item in value]
        return ", ".join(str(item) for item in value)
    return value


def _fields(row: dict, zone) -> list[dict]:
    """{label, shape, value}: `shape` "text", "fields" (a list of these) or "rows"
    (a list of lists of these: a conversation's messages)."""
    fields = []
    for key, value in row.items():
        if key in HIDDEN_KEYS:
            continue
        shown = _readable(value, key, zone)
        if shown is None:
            continue
        shape = "text"
        if isinstance(value, dict):
            shape = "fields"
        elif isinstance(value, list) and isinstance(shown, list):
            shape = "rows"
        fields.append({"label": _label(key), "shape": shape, "value": shown})
    return fields


def account_export_page(*, user) -> dict:
    """The export as sections to read: a title, and rows of fields."""
    document = account_export(user=user)
    zone = _zone(user)
    sections = []
    for key, value in document.items():
        if key == "exported_at":
            continue
        rows = [value] if isinstance(value, dict) else value
        sections.append(
            {
                "key": key,
                "title": SECTION_TITLES.get(key, _label(key)),
                "rows": [_fields(row, zone) for row in rows],
            }
        )
    return {
        "exported_at": _moment(document["exported_at"], zone),
        "zone": str(zone),
        "sections": sections,
    }
