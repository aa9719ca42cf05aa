"""The circle's home page: its public face for visitors, and for members the room
where every feature (chat, threads, safety, resources) puts its panel. Joining
lives here too, since a refused join shows this page again with the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from community.notifications import services as notifications
from community.resources.panels import circle_sidebar_context

from .chat.panels import chat_panel
from .http import circle_for, error_text
from .memberships import selectors as membership_selectors
from .memberships import services as membership_services
from .memberships.forms import JoinForm
from .memberships.services import JoinOutcome
from .threads.panels import threads_panel


def circle_detail(request, slug):
    circle = circle_for(request, slug)
    return render_circle_home(request, circle)


def render_circle_home(request, circle, *, join_form=None, status=200, extra=None):
    viewer = membership_selectors.viewer_context(user=request.user, circle=circle)
    member_count, waitlist_length = membership_selectors.seat_counts(circle=circle)
    context = {
        "circle": circle,
        "join_form": join_form or JoinForm(),
        "member_count": member_count,
        "waitlist_length": waitlist_length,
        "waitlist_position": (
            membership_selectors.waitlist_position(membership=viewer["membership"])
            if viewer["membership"]
            else None
        ),
        **viewer,
    }
    if viewer["can_read"]:
        context.update(circle_home_panels(request, circle))
        if request.GET.get("message"):  # a chat mention's link: now seen
            notifications.notifications_clear_seen(
                user=request.user, urls=[request.get_full_path()]
            )
    context.update(extra or {})
    return render(request, "circles/detail.html", context, status=status)


def circle_home_panels(request, circle) -> dict:
    """The member view's panels: each feature builds its own context in its module."""
    context: dict = {}
    for panel in (chat_panel, threads_panel):
        context.update(panel(request, circle))
    context.update(circle_sidebar_context(circle=circle))
    return context


@login_required
@require_POST
def circle_join(request, slug):
    circle = circle_for(request, slug)
    return _join(request, circle, invite_token=None)


def _join(request, circle, *, invite_token):
    form = JoinForm(request.POST)
    if not form.is_valid():
        return render_circle_home(request, circle, join_form=form, status=400)
    try:
        _membership, outcome = membership_services.membership_join(
            user=request.user,
            circle=circle,
            accept_guidelines=form.cleaned_data["accept_guidelines"],
            invite_token=invite_token,
        )
    except (ValidationError, PermissionDenied) as exc:
        form.add_error(None, error_text(exc))
        return render_circle_home(request, circle, join_form=form, status=400)
    messages.success(
        request,
        {
            JoinOutcome.JOINED: f"Welcome to {circle.name}.",
            JoinOutcome.ALREADY: "You are already a member.",
            JoinOutcome.PENDING: "Your request is with the hosts. You will be let in "
            "once one of them approves it.",
            JoinOutcome.WAITLISTED: f"{circle.name} is full right now. You have a place "
            "on its waitlist and will be let in, in order, when a seat frees.",
        }[outcome],
    )
    return redirect(circle)


@require_http_methods(["GET", "POST"])
def circle_invite(request, slug, token):
    circle = circle_for(request, slug, invite_token=token)
    if token != circle.invite_token:
        raise Http404("No such circle.")
    if not request.user.is_authenticated:
        # Said on the log-in page, which brings the person back here after.
        messages.info(
            request,
            f"This link is an invite to {circle.name}. Log in, or sign up, to "
            "accept it: you come back to the invite afterwards.",
        )
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        return _join(request, circle, invite_token=token)
    return render_circle_home(request, circle, extra={"invite_token": token})
