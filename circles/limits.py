"""Rate limits of the forum features, read from settings when configured there
(`RATE_LIMITS["REACTION"]`, `RATE_LIMITS["SEARCH"]`), with a default otherwise."""

from django.conf import settings

from community.ratelimit import Limit

DEFAULTS = {
    "REACTION": Limit(
        60, 60, "You are reacting very quickly. Please wait a minute and try again."
    ),
    "SEARCH": Limit(
        30, 60, "You are searching very quickly. Please wait a minute and try again."
    ),
}


def limit_for(action: str) -> Limit:
    """The configured limit for `action`: a `Limit`, a `(count, seconds)` pair, a
    `{"count", "seconds"}` dict or a `"count/seconds"` text in
    `settings.RATE_LIMITS`, else the default."""
    default = DEFAULTS[action]
    value = getattr(settings, "RATE_LIMITS", {}).get(action)
    if isinstance(value, Limit):
        return value
    if isinstance(value, dict):
        value = (value.get("count"), value.get("seconds"))
    if isinstance(value, str) and "/" in value:
        value = value.split("/", 1)
    if isinstance(value, list | tuple) and len(value) >= 2:
        try:
            return Limit(int(value[0]), int(float(value[1])), default.message)
        except (TypeError, ValueError):
            return default
    return default
