"""Who gets email for what: per kind off / instant / daily digest, quiet hours in
the person's own time zone. In-app notifications are always stored."""

import datetime as dt
import hashlib
import re
import zoneinfo

from django.contrib.auth import get_user_model
from django.core import signing

KINDS = ("reply", "mention", "message", "membership", "safety")
# Safety email is not a choice (contract, "Decisions"): it reaches a verified
# address at once, whatever the person chose and in quiet hours too.
CHOOSABLE = ("reply", "mention", "message", "membership")
LABELS = {
    "reply": "Replies to my asks and posts",
    "mention": "Someone mentions me",
    "message": "Check-ins and private messages",
    "membership": "My join requests and waitlist places",
    "safety": "Safety reports in circles I moderate",
}
CHOICES = (("off", "No email"), ("instant", "At once"), ("digest", "Daily digest"))
DEFAULTS = {"reply": "instant"}
# Stored notification kinds -> the choice that governs their email.
CATEGORY = {
    "reply": "reply",
    "mention": "mention",
    "message": "message",
    "membership": "membership",
}
# Safety items and their escalation reach a verified address whatever was chosen.
ALWAYS = {"support_alert", "self_harm", "safety", "safety_escalated"}
# Reply email (contract: `notify_reply_scope`): `direct` (default) sends replies to
# the person's own posts and mentions at once, and the rest of a busy thread in one
# email per thread per hour at most; `all` sends every reply at once.
REPLY_SCOPES = (
    (
        "direct",
        "Replies to my posts and mentions at once; other replies in my threads at most once an hour per thread",
    ),
    ("all", "Every reply at once"),
)
REPLY_GROUP_EVERY = dt.timedelta(hours=1)
QUIET_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def choice(user, category: str) -> str:
    return (user.notify or {}).get(category) or DEFAULTS.get(category, "off")


def reply_scope(user) -> str:
    scope = (user.notify or {}).get("reply_scope")
    return scope if scope in dict(REPLY_SCOPES) else "direct"


def parse_quiet_hours(text: str) -> tuple[dt.time, dt.time] | None:
    """ "22:00-07:30" -> (22:00, 07:30); "" -> None; anything else ValueError."""
    text = (text or "").replace(" ", "")
    if not text:
        return None
    match = QUIET_RE.match(text)
    if not match:
        raise ValueError("Write quiet hours as HH:MM-HH:MM, for example 22:00-07:30.")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return dt.time(h1, m1), dt.time(h2, m2)


def zone(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def quiet_until(user, now: dt.datetime) -> dt.datetime | None:
    """When the person's quiet hours end, if `now` falls inside them."""
    try:
        hours = parse_quiet_hours(user.quiet_hours)
    except ValueError:
        return None
    if hours is None or hours[0] == hours[1]:
        return None
    start, end = hours
    local = now.astimezone(zone(user))
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_at = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if end_at <= local:
        end_at += dt.timedelta(days=1)
    return end_at.astimezone(dt.UTC)


UNSUBSCRIBE_MAX_AGE = 90 * 24 * 3600  # a link in an old email stops after 90 days


def _account_stamp(user) -> str:
    """Changes when the account is deleted (its username is replaced), so a link
    dies with the account."""
    text = f"{user.pk}:{user.username}:{user.date_joined.isoformat()}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def unsubscribe_token(user, category: str) -> str:
    return signing.dumps(
        {"u": user.pk, "k": category, "a": _account_stamp(user)}, salt=UNSUBSCRIBE_SALT
    )


def read_unsubscribe_token(token: str) -> tuple[int, str, str] | None:
    """(user id, category, account stamp) of a link younger than 90 days."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict) or data.get("k") not in (*CHOOSABLE, "digest"):
        return None
    return data.get("u"), data["k"], data.get("a", "")


def unsubscribe_target(token: str):
    """(user, category) for a live link of an active account that still is the
    one the link was made for, else None."""
    found = read_unsubscribe_token(token)
    if found is None or not isinstance(found[0], int):
        return None
    user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if user is None or found[2] != _account_stamp(user):
        return None
    return user, found[1]
