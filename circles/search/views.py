"""Search pages: in one circle, and across all of mine."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from community import ratelimit

from ..http import readable_circle_for
from . import selectors


def _page(request, *, circle=None):
    text = selectors.clean_query(request.GET.get("q", ""))
    context = {"circle": circle, "q": text, "results": [], "searched": False}
    status = 200
    if text:
        try:
            ratelimit.hit_action("SEARCH", str(request.user.pk))
        except ratelimit.RateLimited as exc:
            context["error"] = str(exc)
            status = 429
        else:
            context["results"] = selectors.search(
                user=request.user, text=text, circle=circle
            )
            context["searched"] = True
    return render(request, "search/results.html", context, status=status)


@login_required
@require_GET
def circle_search(request, slug):
    circle = readable_circle_for(request, slug)
    return _page(request, circle=circle)


@login_required
@require_GET
def site_search(request):
    return _page(request)
