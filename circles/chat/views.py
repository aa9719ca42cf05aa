"""Chat's form posts: slow mode. Messages travel over the socket (consumers.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ..http import circle_for, error_text
from . import services
from .forms import SlowModeForm


@login_required
@require_POST
def slow_mode(request, slug):
    circle = circle_for(request, slug)
    form = SlowModeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Slow mode takes a number of seconds from 0 to 3,600.")
        return redirect(circle)
    try:
        services.chat_slow_mode_set(
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
