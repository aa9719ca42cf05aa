"""POST /saved/ toggles a saved item; GET /saved/ lists mine."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..http import safe_next
from . import selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def saved(request):
    if request.method == "POST":
        now_saved = services.saved_toggle(
            user=request.user,
            kind=request.POST.get("kind", ""),
            item_id=request.POST.get("id"),
        )
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"saved": now_saved})
        return redirect(safe_next(request, reverse("saved:list")))
    items = selectors.saved_list(user=request.user)
    return render(request, "saved/list.html", {"items": items})
