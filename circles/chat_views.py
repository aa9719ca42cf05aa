"""The chat panel on the circle page, and slow mode."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from moderation import selectors as moderation_selectors
from moderation import services as moderation_services

from . import selectors
from .views import circle_for, error_text


def chat_panel(request, circle) -> dict:
    """Context for the chat panel: the latest page of messages, rendered by the
    server so the page is useful before the socket opens."""
    recent = selectors.chat_messages(circle=circle, limit=50)
    return {
        "chat_messages": recent,
        "chat_last_id": recent[-1].pk if recent else 0,
        "chat_ignored_ids": sorted(
            moderation_selectors.ignored_user_ids(user=request.user)
        ),
    }


class SlowModeForm(forms.Form):
    seconds = forms.IntegerField(
        min_value=0, max_value=3600, label="Seconds between messages (0 turns it off)"
    )


@login_required
@require_POST
def slow_mode(request, slug):
    circle = circle_for(request, slug)
    form = SlowModeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Slow mode takes a number of seconds from 0 to 3,600.")
        return redirect(circle)
    try:
        moderation_services.chat_slow_mode_set(
            actor=request.user, circle=circle, seconds=form.cleaned_data["seconds"]
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(circle)
    seconds = form.cleaned_data["seconds"]
    messages.success(
        request,
        f"Slow mode is on: one message every {seconds} seconds."
        if seconds
        else "Slow mode is off.",
    )
    return redirect(circle)
