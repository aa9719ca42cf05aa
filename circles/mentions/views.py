"""Completion as you type: display names of the circle's members, for members."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from ..http import readable_circle_for
from . import selectors


@login_required
@require_GET
def members_json(request, slug):
    circle = readable_circle_for(request, slug)
    prefix = " ".join(request.GET.get("q", "").split())[:32]
    names = selectors.member_suggestions(
        circle=circle, prefix=prefix, exclude_id=request.user.pk
    )
    return JsonResponse({"members": names})
