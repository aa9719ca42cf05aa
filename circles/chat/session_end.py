"""Open sockets end with the session that opened them: log-out, password change and
deactivation tell every socket of the person (circle sockets and /ws/me/) to close.

The event is `{"type": "session.ended"}` on the person's user group; with a
`session` key it closes only that session's sockets. The account pages send the
same event for "log out everywhere" and account deletion.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save, pre_save

from community import realtime
from community.sockets.events import session_ended


def _on_logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    session = getattr(request, "session", None)
    realtime.broadcast_on_commit(
        realtime.user_group(user.pk),
        session_ended(session_key=getattr(session, "session_key", None)),
    )


def _before_user_save(sender, instance, update_fields=None, **kwargs) -> None:
    # set_password() keeps the new raw password in `_password` until the save.
    instance._session_ends = instance.pk is not None and (
        getattr(instance, "_password", None) is not None or not instance.is_active
    )


def _after_user_save(sender, instance, created, **kwargs) -> None:
    if getattr(instance, "_session_ends", False) and not created:
        realtime.broadcast_on_commit(realtime.user_group(instance.pk), session_ended())
    instance._session_ends = False


def connect() -> None:
    """Called from CirclesConfig.ready()."""
    user_model = get_user_model()
    user_logged_out.connect(_on_logged_out, dispatch_uid="chat-session-ended-logout")
    pre_save.connect(
        _before_user_save, sender=user_model, dispatch_uid="chat-session-ended-pre"
    )
    post_save.connect(
        _after_user_save, sender=user_model, dispatch_uid="chat-session-ended-post"
    )
