"""The crisis card: what happened to the person's words, and lines they can reach
now, as links a phone can call or text.

`CRISIS_RESOURCES` may be a path to a file or the text itself; either may be JSON
(`{"default": [...], "GB": [...]}`, each line `{"name", "tel", "sms", "url",
"note"}`), or plain text shown as it is. The country is the person's own choice
(`user.crisis_country`, when set) or `CRISIS_COUNTRY`.
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.utils.html import format_html, format_html_join

DEFAULT_LINES = {
    "default": [
        {
            "name": "Emergency services",
            "tel": "112",
            "note": "112 in Europe, 911 in North America, 999 in the UK",
        },
        {
            "name": "Find a free, confidential line in your country",
            "url": "https://findahelpline.com",
        },
    ],
    "US": [
        {"name": "988 Suicide & Crisis Lifeline", "tel": "988", "sms": "988"},
        {"name": "Emergency services", "tel": "911"},
    ],
    "GB": [
        {"name": "Samaritans", "tel": "116123"},
        {"name": "Shout (text)", "sms": "85258"},
        {"name": "Emergency services", "tel": "999"},
    ],
    "IE": [
        {"name": "Samaritans", "tel": "116123"},
        {"name": "Emergency services", "tel": "112"},
    ],
}

DEFAULT_CRISIS_TEXT = (
    "You matter, and you do not have to carry this alone. If you might act on thoughts "
    "of harming yourself, or you are in danger right now, please contact your local "
    "emergency services (112 in Europe, 911 in North America, 999 in the UK) or go to "
    "the nearest emergency department. You can also reach a crisis line: in the US call "
    "or text 988; in the UK and Ireland call Samaritans on 116 123; elsewhere, "
    "findahelpline.com lists free, confidential lines in your country. If you can, tell "
    "someone you trust how you are feeling."
)

# What the card says happened to the words, by where they went.
POSTED_SENTENCES = {
    "visible": "Your words are posted: the people here can read them now.",
    "held": "Your words are held for a moderator: only you and the circle's moderators "
    "can see them for now.",
    "no": "Nothing was posted, and no one else can read your words.",
}
CHAT_SENTENCE = "Your message is in the chat: the people here can read it now."
TOLD_SENTENCE = (
    "Because your words suggest you may be going through something very hard, the "
    "circle's moderators have been told quietly, so that one of them can check in "
    "with you privately."
)


def _configured() -> str:
    value = (settings.CRISIS_RESOURCES or "").strip()
    if value and len(value) < 4096 and "\n" not in value and Path(value).is_file():
        return Path(value).read_text(encoding="utf-8").strip()
    return value


def _lines_by_country() -> dict | None:
    """The configured lines, or the defaults; None when the setting is plain text."""
    value = _configured()
    if not value:
        return DEFAULT_LINES
    try:
        data = json.loads(value)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def crisis_lines(*, country: str = "") -> list[dict]:
    lines = _lines_by_country()
    if lines is None:
        return []
    country = (country or settings.CRISIS_COUNTRY or "").upper()
    return list(lines.get(country) or lines.get("default") or [])


def _digits(number: str) -> str:
    return re.sub(r"[^\d+]", "", str(number))


def crisis_text(*, country: str = "") -> str:
    """The crisis lines as plain text (notifications, the socket frame's `text`)."""
    if _lines_by_country() is None:
        return _configured()
    lines = crisis_lines(country=country)
    if not lines:
        return DEFAULT_CRISIS_TEXT
    said = []
    for line in lines:
        ways = [f"call {line['tel']}" if line.get("tel") else ""]
        ways.append(f"text {line['sms']}" if line.get("sms") else "")
        ways.append(line.get("url", ""))
        how = " or ".join(w for w in ways if w)
        said.append(f"{line['name']}: {how}" if how else line["name"])
    return (
        "You matter, and you do not have to carry this alone. If you are in danger "
        "right now, please contact your local emergency services or one of these "
        "lines now. " + "; ".join(said) + "."
    )


def crisis_html(*, country: str = "") -> str:
    """The crisis lines as a list of links: `tel:` to call, `sms:` to text."""
    if _lines_by_country() is None:
        return format_html('<p class="prewrap">{}</p>', _configured())
    items = []
    for line in crisis_lines(country=country):
        links = []
        if line.get("tel"):
            links.append(
                format_html(
                    '<a href="tel:{}">Call {}</a>', _digits(line["tel"]), line["tel"]
                )
            )
        if line.get("sms"):
            links.append(
                format_html(
                    '<a href="sms:{}">Text {}</a>', _digits(line["sms"]), line["sms"]
                )
            )
        if line.get("url", "").startswith(("https://", "http://")):
            links.append(format_html('<a href="{}">{}</a>', line["url"], line["url"]))
        note = (
            format_html(" <small>{}</small>", line["note"]) if line.get("note") else ""
        )
        items.append(
            format_html(
                "<li><strong>{}</strong> {}{}</li>",
                line["name"],
                format_html_join(" · ", "{}", ((link,) for link in links)),
                note,
            )
        )
    if not items:
        return format_html('<p class="prewrap">{}</p>', DEFAULT_CRISIS_TEXT)
    return format_html(
        '<ul class="crisis-lines">{}</ul>',
        format_html_join("", "{}", ((item,) for item in items)),
    )


def card(
    *,
    level: str,
    posted: str,
    alerted: bool = True,
    refused: str = "",
    chat: bool = False,
) -> dict:
    """What the card says: what happened to the words (`posted`: visible, held or
    no) and what happens next. `refused` is why nothing was posted, if so."""
    said = [CHAT_SENTENCE if chat and posted == "visible" else POSTED_SENTENCES[posted]]
    if refused:
        said.append(f"{refused} Your text is still in the box.")
    if alerted:
        said.append(TOLD_SENTENCE)
    return {"level": level, "posted": posted, "said": " ".join(said)}


def not_ok_card(*, alerted: bool) -> dict:
    """After "I'm not OK right now": nothing was posted; who was told."""
    told = (
        "The circle's moderators have been told quietly, so that one of them can "
        "check in with you privately."
        if alerted
        else "The circle's moderators were told a little while ago, so they already "
        "know you may need someone; they were not told again."
    )
    return {
        "level": "concern",
        "posted": "no",
        "said": f"Nothing was posted: only you see this. {told}",
    }


def crisis_frame(*, level: str, posted: str, refused: str = "") -> dict:
    """The `crisis` frame on a socket: announced, never taking focus from the
    composer, so nothing being typed is lost."""
    said = card(level=level, posted=posted, refused=refused, chat=posted == "visible")[
        "said"
    ]
    return {
        "type": "crisis",
        "level": level,
        "posted": posted,
        "text": f"{said} {crisis_text()}",
        "html": format_html("<p>{}</p>{}", said, crisis_html()),
    }
