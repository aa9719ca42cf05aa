"""One way to print a moment: `{{ value|when }}` gives
`<time datetime="...Z" data-when>29 Nov 2026, 02:26 UTC</time>`.

The text is a fallback in UTC for readers without JavaScript; static/js/time.js
rewrites every `<time datetime>` in the reader's time zone ("5 minutes ago" for
recent moments, the date and time after that, the full time on hover), and the
live chat uses the same function, so history and live messages always agree.
"""

from datetime import UTC, datetime
from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

register = template.Library()


def iso_utc(value: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second: what browsers parse everywhere."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fallback_text(value: datetime) -> str:
    moment = value.astimezone(UTC) if timezone.is_aware(value) else value
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


@register.filter(is_safe=True)
def when(value, style: str = ""):
    """A `<time>` element for a datetime; empty for None. `style="exact"` asks the
    script for the date and time even when the moment is recent (deadlines such
    as the end of a mute read better that way). Built without `format_html`: a chat
    page prints fifty of them (circles/chat_html.py)."""
    if not isinstance(value, datetime):
        return ""
    text = escape(fallback_text(value), quote=True)
    return mark_safe(
        f'<time datetime="{iso_utc(value)}" data-when="{escape(style or "auto")}" '
        f'title="{text}">{text}</time>'
    )
