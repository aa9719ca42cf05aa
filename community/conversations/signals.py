"""End `/ws/me/` sockets when the session behind them ends: log-out (that session),
password change and deactivation (every session of the person).

Sent to the person's `/ws/me/` group only: a circle socket has no handler for
`session.ended` yet (see the report to the lead). "Log out everywhere" and account
deletion send it to the user group, which `/ws/me/` also joins.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from community import realtime

from . import events


def end_sessions(user_id: int, *, session_key: str | None = None) -> None:
    realtime.broadcast_on_commit(
        events.me_group(user_id), events.session_ended(session_key=session_key)
    )


@receiver(user_logged_out, dispatch_uid="conversations_end_socket_on_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None and request is not None:
        end_sessions(user.pk, session_key=request.session.session_key)


@receiver(
    post_save, sender=get_user_model(), dispatch_uid="conversations_end_on_user_save"
)
def _user_saved(sender, instance, created, **kwargs):
    # `_password` is set by set_password() until save() returns: a password change.
    if created:
        return
    if not instance.is_active or getattr(instance, "_password", None) is not None:
        end_sessions(instance.pk)
