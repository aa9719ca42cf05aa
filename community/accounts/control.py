"""Account control: settings, logging out everywhere. Every write is here."""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community import realtime
from community.notifications import preferences

from . import verification
from .services import display_name_is_taken

SESSION_ENDED = {"type": "session.ended"}


@transaction.atomic
def account_settings_update(
    *,
    user,
    display_name: str,
    email: str,
    allow_messages: str,
    notify: dict,
    time_zone: str,
    quiet_hours: str,
) -> bool:
    """Save the settings page; returns True if a verification email was queued."""
    display_name = " ".join(display_name.split())
    if display_name_is_taken(display_name=display_name, exclude_user_id=user.pk):
        raise ValidationError({"display_name": "That display name is taken."})
    try:
        preferences.parse_quiet_hours(quiet_hours)
    except ValueError as exc:
        raise ValidationError({"quiet_hours": str(exc)}) from None
    user.display_name = display_name
    user.allow_messages = allow_messages
    user.time_zone = time_zone
    user.quiet_hours = (quiet_hours or "").replace(" ", "")
    user.notify = {
        k: v
        for k, v in notify.items()
        if k in preferences.CHOOSABLE
        or (k == "reply_scope" and v in dict(preferences.REPLY_SCOPES))
    }
    user.full_clean(exclude=["password", "username", "email"])
    user.save(
        update_fields=[
            "display_name",
            "allow_messages",
            "time_zone",
            "quiet_hours",
            "notify",
        ]
    )
    return verification.email_set(user=user, email=email)


def safety_settings_update(*, user, crisis_country: str, discreet_email: bool) -> None:
    """Whose support lines the cards show, and discreet email (README: Sensitive
    words, helplines, leaving quickly)."""
    user.crisis_country = (crisis_country or "").upper()[:8]
    user.discreet_email = bool(discreet_email)
    user.save(update_fields=["crisis_country", "discreet_email"])


def sessions_end_all(*, user) -> int:
    """End every session of the person: the session hash changes (so no stored
    session of theirs is valid any more), their session rows are deleted and their
    open sockets are told to close."""
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(
            session_epoch=F("session_epoch") + 1
        )
        user.refresh_from_db(fields=["session_epoch"])
        ended = _delete_sessions_of(user.pk)
        realtime.broadcast_on_commit(realtime.user_group(user.pk), SESSION_ENDED)
    return ended


def _delete_sessions_of(user_id: int) -> int:
    """Session rows do not index their user: read the live ones in batches."""
    doomed = []
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator(chunk_size=1000):
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(user_id):
            doomed.append(session.session_key)
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)
