"""Personal safety tools: "I'm not OK right now", ignoring someone, and the quiet
alerts that reach a circle's hosts and moderators."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from circles import permissions
from community import ratelimit
from community.accounts.models import User
from community.notifications.services import notification_send
from moderation.models import Ignore

from .selectors import moderators_of

NOT_OK_ALERTS = ratelimit.Limit(1, 30 * 60, "")


def moderators_alert(
    *, circle, kind: str, text: str, url: str, except_user=None
) -> None:
    """Tell every host and moderator of `circle`, except `except_user`."""
    for moderator in moderators_of(circle=circle):
        if except_user is None or moderator.pk != except_user.pk:
            notification_send(
                recipient=moderator, kind=kind, text=text, url=url, circle=circle
            )


def member_not_ok(*, user, circle) -> bool:
    """ "I'm not OK right now": quietly alert the circle's hosts and moderators.
    Returns whether they were alerted (at most once in 30 minutes a person)."""
    permissions.allow_read_circle(user, circle)
    try:
        ratelimit.hit("not-ok", f"{user.pk}:{circle.pk}", NOT_OK_ALERTS)
    except ratelimit.RateLimited:
        return False
    moderators_alert(
        circle=circle,
        kind="support_alert",
        text=f"{user.display_name} pressed “I'm not OK right now” in {circle.name}. "
        "Consider checking in with them privately.",
        url=f"/circles/{circle.slug}/members/",
        except_user=user,
    )
    return True


def ignore_add(*, user, ignored_id: int):
    if not user.is_authenticated:
        raise PermissionDenied("Log in first.")
    if ignored_id == user.pk:
        raise ValidationError("You cannot ignore yourself.")
    ignored = User.objects.filter(pk=ignored_id, is_active=True).first()
    if ignored is None:
        raise Http404("No such person.")
    Ignore.objects.get_or_create(user=user, ignored=ignored)
    return ignored


def ignore_remove(*, user, ignored_id: int) -> None:
    Ignore.objects.filter(user=user, ignored_id=ignored_id).delete()
