"""Reacting: a form post that goes back where it came from, or JSON for scripts;
counts for a page of items; who reacted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from community import input_guard
from community.ratelimit import RateLimited

from .. import permissions
from ..http import error_text, readable_circle_for, safe_next
from . import selectors, services

MAX_IDS = 200


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_http_methods(["GET", "POST"])
def react(request, slug):
    circle = readable_circle_for(request, slug)
    if request.method == "GET":
        return _counts(request, circle)
    kind = request.POST.get("kind", "")
    try:
        toggled = services.reaction_toggle(
            user=request.user,
            circle=circle,
            kind=kind,
            item_id=request.POST.get("id"),
            reaction=request.POST.get("reaction", ""),
        )
    except (ValidationError, PermissionDenied, RateLimited) as exc:
        status = 429 if isinstance(exc, RateLimited) else 400
        status = 403 if isinstance(exc, PermissionDenied) else status
        text = str(exc) if isinstance(exc, RateLimited) else error_text(exc)
        if wants_json(request):
            return JsonResponse({"error": text}, status=status)
        messages.error(request, text)
        return redirect(safe_next(request, circle.get_absolute_url()))
    if wants_json(request):
        return JsonResponse(
            {"counts": toggled.counts, "people": toggled.people, "on": toggled.on}
        )
    return redirect(safe_next(request, circle.get_absolute_url()))


def _counts(request, circle):
    """GET ?kind=message&ids=1,2,3: counts of the visible items among those ids of
    this circle (for chat messages a script adds to the page)."""
    kind = request.GET.get("kind", "")
    if kind not in selectors.KINDS:
        return JsonResponse({"error": "kind is post or message."}, status=400)
    raw = [i for i in request.GET.get("ids", "").split(",")[:MAX_IDS] if i]
    wanted = {input_guard.ascii_int(i) for i in raw}
    if None in wanted:
        return JsonResponse({"error": input_guard.NOT_A_NUMBER}, status=400)
    visible = selectors.visible_ids(
        circle=circle, kind=kind, ids=wanted, user=request.user
    )
    entries = selectors.counts_for(kind=kind, ids=visible, user=request.user)
    return JsonResponse(
        {
            "counts": {str(i): e["counts"] for i, e in entries.items()},
            "mine": {str(i): sorted(e["mine"]) for i, e in entries.items()},
        }
    )


@login_required
@require_GET
def reactors(request, slug, kind, item_id):
    """Who reacted, without the people the viewer ignores."""
    circle = readable_circle_for(request, slug)
    item = selectors.item_in_circle(circle=circle, kind=kind, item_id=item_id)
    permissions.allow_see_reactors(request.user, item)
    groups = selectors.reactors(kind=kind, item_id=item.pk, viewer=request.user)
    if wants_json(request):
        return JsonResponse({g["reaction"]: g["names"] for g in groups})
    context = {
        "circle": circle,
        "groups": groups,
        "back": item.get_content_url(),
    }
    return render(request, "reactions/who.html", context)
