"""Personal safety: "I'm not OK right now", and ignoring someone for yourself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from circles import permissions
from circles.http import circle_for, error_text, safe_next

from . import care as care_services
from . import cases, services
from .context import crisis_card_remember
from .crisis import not_ok_card


@login_required
@require_POST
def not_ok(request, slug):
    circle = circle_for(request, slug)
    permissions.allow_read_circle(request.user, circle)
    alerted = services.member_not_ok(user=request.user, circle=circle)
    audience = cases.alert_audience(circle=circle, person=request.user)
    crisis_card_remember(request, not_ok_card(alerted=alerted, audience=audience))
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


def _yours(case) -> str:
    others = "the other moderators" if case.circle_id else "the rest of the staff"
    return (
        f"{case.person.display_name}'s case is yours: {others} see that you are "
        "reaching out."
    )


def _queue_after(request, case) -> str:
    return safe_next(request, cases.queue_url(case.circle))


@login_required
@require_POST
def pick_up(request, kind, object_id):
    case = services.safety_case_pick_up(
        actor=request.user, kind=kind, object_id=object_id
    )
    messages.success(request, _yours(case))
    return redirect(_queue_after(request, case))


@login_required
@require_POST
def safety_done(request, kind, object_id):
    case = services.safety_case_resolve(
        actor=request.user, kind=kind, object_id=object_id
    )
    messages.success(request, "Case closed. Thank you for reaching out.")
    return redirect(_queue_after(request, case))


@login_required
@require_POST
def take_next(request, slug=None):
    circle = circle_for(request, slug) if slug else None
    case = services.safety_case_take_next(actor=request.user, circle=circle)
    if case is None:
        messages.info(
            request,
            "Every open case has someone with it right now."
            if services.cases_for(actor=request.user, circle=circle).exists()
            else "No one needs a check-in right now.",
        )
    else:
        messages.success(request, _yours(case))
    return redirect(cases.queue_url(circle))


@login_required
@require_POST
def care(request, kind, object_id):
    content = care_services.safety_care(
        actor=request.user, kind=kind, object_id=object_id
    )
    messages.success(
        request,
        "Moved out of other members' view. The author still sees it, and has your "
        "note with a link to your check-in.",
    )
    return redirect(safe_next(request, cases.queue_url(content.content_circle)))


@login_required
@require_POST
def misread(request):
    kind, _, object_id = (request.POST.get("item") or "").partition(":")
    services.safety_item_misread(user=request.user, kind=kind, object_id=object_id)
    messages.success(
        request,
        "Thank you for telling us. The moderators will see that you said it was "
        "misread.",
    )
    return redirect(safe_next(request, "/"))
