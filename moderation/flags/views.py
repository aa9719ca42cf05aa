"""The flag page: a member tells the moderators about an item of their circle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from circles.http import add_service_errors

from . import selectors, services
from .forms import FlagForm


@login_required
@require_http_methods(["GET", "POST"])
def flag(request):
    data = request.POST if request.method == "POST" else request.GET
    content = services.flaggable_get(
        reporter=request.user, kind=data.get("kind", ""), object_id=data.get("id", "")
    )
    circle = content.content_circle
    form = FlagForm(data if request.method == "POST" else None, initial=data.dict())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.flag_create(
                    reporter=request.user,
                    kind=form.cleaned_data["kind"],
                    object_id=form.cleaned_data["id"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    "Thank you. The moderators will look at it; you will hear the outcome.",
                )
                return redirect(content.get_content_url())
        status = 400
    context = {
        "form": form,
        "content": content,
        "circle": circle,
        "kind": content.content_kind,
        **selectors.flag_page_facts(reporter=request.user, content=content),
    }
    return render(request, "moderation/flag.html", context, status=status)
