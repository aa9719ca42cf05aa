"""Discreet email: for a person who asked for it (`discreet_email`), or who may not
be safe where they are, every email has a neutral sender name and subject and names
no circle, person or words: only a link.

The ground floor cannot ask the safety desk itself, so apps above register what
forces it on (`discreet_force_when`): moderation registers "has an open `unsafe`
case" (moderation.safety.selectors.unsafe_case_open).
"""

from email.utils import formataddr, parseaddr

from django.conf import settings

SENDER_NAME = "Notifications"
SUBJECTS = {
    "verify": "Confirm your email address",
    "password_reset": "The link you asked for",
}
SUBJECT = "Something new for you"
BODY = "Open this link:\n{link}\n"

_forcing = []


def discreet_force_when(check) -> None:
    """Register `check(user) -> bool`; discreet email is on while any is true."""
    if check not in _forcing:
        _forcing.append(check)


def discreet_for(user) -> bool:
    if user is None:
        return False
    return bool(getattr(user, "discreet_email", False)) or any(
        check(user) for check in _forcing
    )


def discreet_email(*, purpose: str, link: str, headers: dict | None) -> dict:
    """The neutral subject, body and headers of an email with only `link`."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    kept = {
        k: v for k, v in (headers or {}).items() if k.lower().startswith("list-unsub")
    }
    return {
        "subject": SUBJECTS.get(purpose, SUBJECT),
        "body": BODY.format(link=link),
        "headers": {**kept, "From": formataddr((SENDER_NAME, address))},
    }
