"""The review queue, moderators' decisions on items, watched words, and the staff
index of every circle's open flags."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from circles import permissions
from circles.http import circle_for, error_text, safe_next
from community import input_guard
from moderation.audit.selectors import audit_log
from moderation.models import WatchedWord
from moderation.safety.selectors import safety_queue
from moderation.screening import services as screening_services
from moderation.screening.selectors import watched_words

from . import selectors, services


def review_queue(request, slug):
    circle = circle_for(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    permissions.allow_moderate_circle(request.user, circle)
    if request.GET.get("show") == "removed":
        return render(
            request,
            "moderation/removed.html",
            {"circle": circle, **selectors.removed_items(circle=circle)},
        )
    safety = _safety_context(request, circle)
    if request.GET.get("fragment") == "safety":
        return render(request, "moderation/_safety_queue.html", safety)
    context = {
        "rows": selectors.review_queue(circle=circle),
        **safety,
        "audit": audit_log(circle=circle),
        **watched_words(circle=circle),
        "word_actions": WatchedWord.Action.choices,
    }
    return render(request, "moderation/queue.html", context)


def _safety_context(request, circle) -> dict:
    """The safety desk's cases (a circle's, or with no circle the staff cases from
    private messages) and what its buttons need."""
    base = (
        reverse("moderation_circle:queue", args=[circle.slug])
        if circle
        else reverse("moderation:index")
    )
    return {
        "circle": circle,
        "safety": safety_queue(circle=circle, viewer=request.user),
        "escalate_minutes": settings.SAFETY_ESCALATE_MINUTES,
        "pickup_minutes": settings.SAFETY_PICKUP_MINUTES,
        "take_next_url": base + "take-next/",
        "safety_fragment_url": base + "?fragment=safety",
    }


@login_required
def staff_index(request):
    if not permissions.is_staff(request.user):
        raise PermissionDenied("Only site staff see every circle's queue.")
    safety = _safety_context(request, None)
    if request.GET.get("fragment") == "safety":
        return render(request, "moderation/_safety_queue.html", safety)
    return render(
        request,
        "moderation/index.html",
        {"circles": selectors.circles_with_open_flags(), **safety},
    )


ACTIONS = {
    "remove": (
        services.content_remove,
        "Removed. Others see only that moderators removed it; the author is told "
        "your reason privately.",
    ),
    "restore": (
        services.content_restore,
        "Restored: the circle can read it again, and its author was told.",
    ),
    "dismiss": (services.flags_dismiss, "Flags dismissed; the item stays."),
    "approve": (services.content_approve, "Approved: everyone can see it now."),
    "warn": (services.author_warn, "The author has been warned privately."),
}


@login_required
@require_POST
def content_action(request, kind, object_id, action):
    if action not in ACTIONS or kind not in ("thread", "post", "message"):
        raise Http404("No such action.")
    service, done = ACTIONS[action]
    get = services.restorable_get if action == "restore" else services.moderated_get
    content = get(actor=request.user, kind=kind, object_id=object_id)
    # The chat's Remove posts in place (static/js/chat.js) and reads the answer.
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        service(
            actor=request.user,
            content=content,
            reason=request.POST.get("reason", "")[:500],
        )
    except ValidationError as exc:
        if wants_json:
            return JsonResponse({"error": error_text(exc)}, status=400)
        messages.error(request, error_text(exc))
    else:
        if wants_json:
            return JsonResponse({"ok": True, "message": done})
        messages.success(request, done)
    queue = reverse("moderation_circle:queue", args=[content.content_circle.slug])
    return redirect(safe_next(request, queue))


@login_required
@require_POST
def thread_lock(request, object_id, locked):
    thread = services.thread_lock(
        actor=request.user,
        thread_id=object_id,
        locked=locked,
        reason=request.POST.get("reason", "")[:500],
    )
    messages.success(request, "Thread locked." if locked else "Thread unlocked.")
    return redirect(safe_next(request, thread.get_absolute_url()))


@login_required
@require_POST
def words(request, slug):
    circle = circle_for(request, slug)
    try:
        if request.POST.get("remove"):
            word_id = input_guard.ascii_int(request.POST["remove"])
            if word_id is None:
                return HttpResponseBadRequest(input_guard.NOT_A_NUMBER)
            screening_services.watched_word_remove(
                actor=request.user, circle=circle, word_id=word_id
            )
            messages.success(request, "Watched word removed.")
        else:
            screening_services.watched_word_add(
                actor=request.user,
                circle=circle,
                phrase=request.POST.get("phrase", ""),
                action=request.POST.get("action", ""),
            )
            messages.success(request, "Watched word saved.")
    except (ValidationError, ValueError) as exc:
        messages.error(
            request,
            error_text(exc) if isinstance(exc, ValidationError) else "Bad request.",
        )
    return redirect(f"{reverse('moderation_circle:queue', args=[circle.slug])}#words")
