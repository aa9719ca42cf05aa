"""Lines a person can reach now, per level and country, as a phone can call or text.

`CRISIS_RESOURCES` may be a path to a file or the text itself. JSON either gives one
list per country for `danger` (also used for `concern`):
`{"default": [...], "GB": [...]}`, or lists per level:
`{"danger": {"default": [...], "GB": [...]}, "unsafe": {...}}`. Each line is
`{"name", "tel", "sms", "sms_body", "url", "note"}`; `tel` may be a list of numbers.
Plain text is shown as it is. A level or country the setting leaves out falls back to
the built-in lists below. The country is the person's own choice
(`user.crisis_country`) or `CRISIS_COUNTRY`.
"""

import json
from pathlib import Path

from django.conf import settings

EMERGENCY_DEFAULT = {
    "name": "Emergency services",
    "tel": ["112", "911", "999"],
    "note": "112 in Europe, 911 in North America, 999 in the UK",
}
FIND_A_LINE = {
    "name": "Find a free, confidential line in your country",
    "url": "https://findahelpline.com",
}

BUILT_IN = {
    "danger": {
        "default": [EMERGENCY_DEFAULT, FIND_A_LINE],
        "US": [
            {"name": "988 Suicide & Crisis Lifeline", "tel": "988", "sms": "988"},
            {"name": "Emergency services", "tel": "911"},
        ],
        "GB": [
            {"name": "Samaritans", "tel": "116 123"},
            {"name": "Shout", "sms": "85258", "sms_body": "SHOUT"},
            {"name": "Emergency services", "tel": ["999", "112"]},
        ],
        "IE": [
            {"name": "Samaritans", "tel": "116 123"},
            {"name": "50808 text line", "sms": "50808", "sms_body": "HELLO"},
            {"name": "Emergency services", "tel": ["112", "999"]},
        ],
    },
    "unsafe": {
        "default": [
            EMERGENCY_DEFAULT,
            {
                "name": "Find a free line for people hurt at home in your country",
                "url": "https://findahelpline.com",
            },
        ],
        "US": [
            {
                "name": "National Domestic Violence Hotline",
                "tel": "1-800-799-7233",
                "sms": "88788",
                "sms_body": "START",
            },
            {"name": "Emergency services", "tel": "911"},
        ],
        "GB": [
            {"name": "National Domestic Abuse Helpline", "tel": "0808 2000 247"},
            {
                "name": "Emergency services",
                "tel": ["999", "112"],
                "note": "If you cannot speak on a mobile, stay on the line and press "
                "55 when asked.",
            },
        ],
        "IE": [
            {"name": "Women's Aid", "tel": "1800 341 900"},
            {"name": "Emergency services", "tel": ["112", "999"]},
        ],
    },
}

COUNTRIES = [
    ("", "The site's default lines"),
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
]


def configured() -> str:
    value = (settings.CRISIS_RESOURCES or "").strip()
    if value and len(value) < 4096 and "\n" not in value and Path(value).is_file():
        return Path(value).read_text(encoding="utf-8").strip()
    return value


def _by_level() -> dict | None:
    """{level: {country: [line, ...]}}, the setting over the built-in lists; None
    when the setting is plain text."""
    value = configured()
    if not value:
        return BUILT_IN
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if not any(isinstance(data.get(level), dict) for level in ("danger", "unsafe")):
        data = {"danger": data}
    return {level: data.get(level) or BUILT_IN[level] for level in BUILT_IN}


def is_plain_text() -> bool:
    return _by_level() is None


def country_of(user=None) -> str:
    chosen = getattr(user, "crisis_country", "") if user is not None else ""
    return (chosen or settings.CRISIS_COUNTRY or "").upper()


def countries() -> list[tuple[str, str]]:
    """The countries a person may choose in settings: the built-in ones and any
    the operator's lists add."""
    known = dict(COUNTRIES)
    for lines in (_by_level() or {}).values():
        for code in lines:
            if code != "default" and code.upper() not in known:
                known[code.upper()] = code.upper()
    return list(known.items())


def lines_for(*, level: str = "danger", country: str = "") -> list[dict]:
    by_level = _by_level()
    if by_level is None:
        return []
    lines = by_level["unsafe" if level == "unsafe" else "danger"]
    return list(lines.get(country.upper()) or lines.get("default") or [])
