"""RATE_LIMITS from the environment: `RATE_LIMIT_<ACTION>=<count>/<seconds>` (README:
Rate limits). Read by settings at start-up, so it imports nothing of Django's but
its exception."""

from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured


class Rate(NamedTuple):
    """At most `count` in `seconds` (`seconds` is None for a count-only cap)."""

    count: int
    seconds: float | None


# action: (default count, default seconds or None for a count-only cap).
RATE_LIMIT_DEFAULTS = {
    "CHAT": (8, 10),
    "POST": (20, 5 * 60),
    "FLAG": (30, 60 * 60),
    "SIGNUP": (5, 60 * 60),
    "LOGIN_ACCOUNT": (5, 60),
    "LOGIN_ADDRESS": (30, 15 * 60),
    "ADMIN_LOGIN": (10, 15 * 60),
    "CIRCLE_CREATE": (5, 24 * 60 * 60),
    "DM": (30, 5 * 60),
    "REACTION": (60, 60),
    "SEARCH": (30, 60),
    "PASSWORD_RESET": (5, 60 * 60),
    "NOT_OK": (1, 30 * 60),
    "VERIFY_EMAIL": (3, 60 * 60),
    "JOIN_REQUEST": (5, 60 * 60),
    "DM_REPORT": (10, 60 * 60),
    "SOCKETS_PER_PERSON": (20, None),
}


def _positive(text: str, kind, name: str, raw: str, example: str):
    try:
        value = kind(text)
    except ValueError:
        value = 0
    if not value > 0 or value != value or value == float("inf"):
        raise ImproperlyConfigured(
            f"{name} must be {example}; it is {raw!r}. Fix it or unset it to use "
            "the default."
        )
    return value


def parse_rate_limits(environ) -> dict[str, Rate]:
    """RATE_LIMIT_<ACTION>=<count>/<seconds> for every action (the count alone for
    SOCKETS_PER_PERSON); CHAT_RATE_LIMIT_COUNT/_SECONDS are the older spelling of the
    chat default. A bad or unknown name fails here, at start-up."""
    defaults = dict(RATE_LIMIT_DEFAULTS)
    chat_count, chat_seconds = defaults["CHAT"]
    if "CHAT_RATE_LIMIT_COUNT" in environ:
        raw = environ["CHAT_RATE_LIMIT_COUNT"]
        chat_count = _positive(
            raw.strip(),
            int,
            "CHAT_RATE_LIMIT_COUNT",
            raw,
            "a whole number above 0, e.g. 8",
        )
    if "CHAT_RATE_LIMIT_SECONDS" in environ:
        raw = environ["CHAT_RATE_LIMIT_SECONDS"]
        chat_seconds = _positive(
            raw.strip(),
            float,
            "CHAT_RATE_LIMIT_SECONDS",
            raw,
            "a number of seconds above 0, e.g. 10",
        )
    defaults["CHAT"] = (chat_count, chat_seconds)
    for name in environ:
        action = name.removeprefix("RATE_LIMIT_")
        if name.startswith("RATE_LIMIT_") and action not in defaults:
            raise ImproperlyConfigured(
                f"{name} is not a rate limit this site knows. Known: "
                + ", ".join(f"RATE_LIMIT_{known}" for known in defaults)
                + "."
            )
    limits = {}
    for action, (count, seconds) in defaults.items():
        name = f"RATE_LIMIT_{action}"
        raw = environ.get(name)
        if raw is None or not raw.strip():
            limits[action] = Rate(
                int(count), None if seconds is None else float(seconds)
            )
            continue
        if seconds is None:
            count = _positive(
                raw.strip(), int, name, raw, "a whole number above 0, e.g. 20"
            )
            limits[action] = Rate(count, None)
            continue
        example = f"<count>/<seconds>, e.g. {count}/{seconds}"
        count_text, slash, seconds_text = raw.strip().partition("/")
        if not slash:
            raise ImproperlyConfigured(f"{name} must be {example}; it is {raw!r}.")
        limits[action] = Rate(
            _positive(count_text.strip(), int, name, raw, example),
            _positive(seconds_text.strip(), float, name, raw, example),
        )
    return limits
