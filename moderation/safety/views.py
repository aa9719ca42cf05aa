"""Personal safety: "I'm not OK right now", and ignoring someone for yourself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from circles import permissions
from circles.http import circle_for, error_text, safe_next

from . import services
from .context import crisis_card_remember
from .crisis import not_ok_card
from .services import safety_url


@login_required
@require_POST
def not_ok(request, slug):
    circle = circle_for(request, slug)
    permissions.allow_read_circle(request.user, circle)
    alerted = services.member_not_ok(user=request.user, circle=circle)
    crisis_card_remember(request, not_ok_card(alerted=alerted))
    return redirect(circle)


@login_required
@require_POST
def ignore(request, user_id):
    try:
        person = services.ignore_add(user=request.user, ignored_id=user_id)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"You will not see what {person.display_name} writes unless you open it. "
            "They are not told.",
        )
    return redirect(safe_next(request, reverse("circles:list")))


@login_required
@require_POST
def unignore(request, user_id):
    services.ignore_remove(user=request.user, ignored_id=user_id)
    messages.success(request, "You will see what they write again.")
    return redirect(safe_next(request, reverse("circles:list")))


def _queue_after(request, items) -> str:
    return safe_next(request, safety_url(items[0].circle))


@login_required
@require_POST
def pick_up(request, kind, object_id):
    items = services.safety_item_pick_up(
        actor=request.user, kind=kind, object_id=object_id
    )
    messages.success(
        request, "It is yours: the other moderators see that you are reaching out."
    )
    return redirect(_queue_after(request, items))


@login_required
@require_POST
def safety_done(request, kind, object_id):
    items = services.safety_item_resolve(
        actor=request.user, kind=kind, object_id=object_id
    )
    messages.success(request, "Marked done. Thank you for reaching out.")
    return redirect(_queue_after(request, items))
