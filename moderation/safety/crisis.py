"""The crisis resources text shown to someone whose words suggest they may be in danger."""

from pathlib import Path

from django.conf import settings

DEFAULT_CRISIS_TEXT = (
    "You matter, and you do not have to carry this alone. If you might act on thoughts "
    "of harming yourself, or you are in danger right now, please contact your local "
    "emergency services (112 in Europe, 911 in North America, 999 in the UK) or go to "
    "the nearest emergency department. You can also reach a crisis line: in the US call "
    "or text 988; in the UK and Ireland call Samaritans on 116 123; elsewhere, "
    "findahelpline.com lists free, confidential lines in your country. If you can, tell "
    "someone you trust how you are feeling."
)


def crisis_text() -> str:
    """CRISIS_RESOURCES may be a path to a file or the text itself."""
    value = (settings.CRISIS_RESOURCES or "").strip()
    if not value:
        return DEFAULT_CRISIS_TEXT
    path = Path(value)
    if len(value) < 4096 and "\n" not in value and path.is_file():
        return path.read_text(encoding="utf-8").strip() or DEFAULT_CRISIS_TEXT
    return value
