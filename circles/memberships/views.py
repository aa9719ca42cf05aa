"""The directory, new circles, the members page and membership form posts. Views parse, call a service or a selector,
and render; permission checks live in `permissions`, writes in `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from community import ratelimit
from moderation.safety.selectors import ignored_user_ids

from .. import permissions
from ..http import circle_for, error_text, safe_next
from ..models import Membership
from . import sanctions, selectors, services, step_down
from .forms import CHOOSE_ROLE, CircleForm, MuteForm, ReasonForm, RoleForm


def circle_list(request):
    listed = list(selectors.circle_list_visible_to(user=request.user))
    mine = list(selectors.circle_list_of_member(user=request.user))
    states = selectors.membership_states_of(
        user=request.user, circle_ids=[c.id for c in listed + mine]
    )
    groups = selectors.circle_list_groups(listed=listed, states=states)
    return render(
        request,
        "circles/list.html",
        {"listed": listed, "mine": mine, "states": states, "groups": groups},
    )


@login_required
@require_http_methods(["GET", "POST"])
def circle_new(request):
    form = CircleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            circle = services.circle_create(creator=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        except ratelimit.RateLimited as limited:
            form.add_error(None, str(limited))
            return render(request, "circles/new.html", {"form": form}, status=429)
        else:
            messages.success(request, "Your circle is ready. You are its host.")
            return redirect(circle)
    return render(
        request, "circles/new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def circle_ask_invite(request, slug):
    circle = circle_for(request, slug)
    try:
        services.membership_request_invite(user=request.user, circle=circle)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            "Your request is with the hosts. If they say yes, the invite arrives in "
            "your notifications.",
        )
    return redirect(circle)


@login_required
@require_POST
def circle_leave(request, slug):
    circle = circle_for(request, slug)
    try:
        services.membership_leave(user=request.user, circle=circle)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect(circle)
    messages.success(request, f"You have left {circle.name}.")
    return redirect("circles:list")


@login_required
def circle_members(request, slug):
    circle = circle_for(request, slug)
    permissions.allow_read_circle(request.user, circle)
    if request.GET.get("show") == "sanctioned":
        permissions.allow_moderate_circle(request.user, circle)
        sanctioned = selectors.sanctioned(circle=circle, now=timezone.now())
        return render(
            request,
            "circles/sanctioned.html",
            {"circle": circle, "sanctioned": sanctioned},
        )
    viewer = selectors.viewer_context(user=request.user, circle=circle)
    members = selectors.member_list(circle=circle)
    hosts = [m.user_id for m in members if m.role == Membership.Role.HOST]
    context = {
        "circle": circle,
        "members": members,
        "only_host": hosts == [request.user.pk],
        "role_form": RoleForm(),
        "mute_form": MuteForm(),
        "reason_form": ReasonForm(),
        "now": timezone.now(),
        **viewer,
    }
    if viewer["can_moderate"]:
        context["sanctioned_count"] = selectors.sanctioned_count(
            circle=circle, now=context["now"]
        )
        context["pending"] = selectors.pending_requests(circle=circle)
        context["waitlist"] = selectors.waitlist(circle=circle)
        context["invite_url"] = request.build_absolute_uri(
            reverse("circles:invite", args=[circle.slug, circle.invite_token])
        )
    context["ignored_ids"] = ignored_user_ids(user=request.user)
    return render(request, "circles/members.html", context)


def _member_action(request, slug, action, success_text):
    """Run a moderation/management service on one member; report in words."""
    circle = circle_for(request, slug)
    if not permissions.can_read_circle(request.user, circle):
        raise Http404("No such circle.")
    try:
        result = action(circle)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, success_text(result) if callable(success_text) else success_text
        )
    # PermissionDenied propagates: 403 with its message for readers; circle_for has
    # already answered 404 to those who may not see the circle. A form may ask to
    # come back to where it was (the muted and banned list).
    members = reverse("circles:members", args=[circle.slug])
    return redirect(safe_next(request, members))


def _approved_text(membership) -> str:
    """True about what approving did: an invite-only circle sends the link."""
    if membership.state == "active":
        return "Request approved: they are a member now."
    return (
        f"Request approved: {membership.user.display_name} was sent an invite "
        "link, and becomes a member once they open it and accept the guidelines."
    )


@login_required
@require_POST
def member_approve(request, slug, user_id):
    return _member_action(
        request,
        slug,
        lambda c: services.membership_approve(
            actor=request.user, circle=c, user_id=user_id
        ),
        _approved_text,
    )


@login_required
@require_POST
def member_decline(request, slug, user_id):
    return _member_action(
        request,
        slug,
        lambda c: services.membership_decline(
            actor=request.user, circle=c, user_id=user_id
        ),
        "Request declined.",
    )


@login_required
@require_POST
def member_role(request, slug, user_id):
    form = RoleForm(request.POST)

    def action(circle):
        permissions.allow_manage_circle(request.user, circle)
        if not form.is_valid():
            raise ValidationError(CHOOSE_ROLE)
        services.membership_set_role(
            actor=request.user,
            circle=circle,
            user_id=user_id,
            role=form.cleaned_data["role"],
        )

    return _member_action(request, slug, action, "Role changed.")


@login_required
@require_POST
def member_mute(request, slug, user_id):
    form = MuteForm(request.POST)

    def action(circle):
        permissions.allow_moderate_circle(request.user, circle)
        if not form.is_valid():
            raise ValidationError(
                [f"{k}: {' '.join(v)}" for k, v in form.errors.items()]
            )
        sanctions.membership_mute(
            actor=request.user,
            circle=circle,
            user_id=user_id,
            minutes=form.cleaned_data["minutes"],
            reason=form.cleaned_data["reason"],
        )

    return _member_action(request, slug, action, "Muted.")


@login_required
@require_POST
def member_unmute(request, slug, user_id):
    def action(circle):
        sanctions.membership_unmute(actor=request.user, circle=circle, user_id=user_id)

    return _member_action(request, slug, action, "Mute lifted: they can write again.")


@login_required
@require_POST
def member_ban(request, slug, user_id):
    form = ReasonForm(request.POST)
    form.is_valid()

    def action(circle):
        sanctions.membership_ban(
            actor=request.user,
            circle=circle,
            user_id=user_id,
            reason=form.cleaned_data.get("reason", ""),
        )

    return _member_action(request, slug, action, "Banned: their access ended at once.")


@login_required
@require_POST
def member_unban(request, slug, user_id):
    form = ReasonForm(request.POST)
    form.is_valid()

    def action(circle):
        sanctions.membership_unban(
            actor=request.user,
            circle=circle,
            user_id=user_id,
            reason=form.cleaned_data.get("reason", ""),
        )

    return _member_action(
        request,
        slug,
        action,
        "Ban lifted: they can come back the way anyone joins this circle.",
    )


@login_required
@require_POST
def circle_step_down(request, slug):
    return _member_action(
        request,
        slug,
        lambda c: step_down.membership_step_down(actor=request.user, circle=c),
        "You stepped down: you are a member of this circle now. A host can give "
        "you a role again.",
    )


@login_required
@require_POST
def invite_reset(request, slug):
    return _member_action(
        request,
        slug,
        lambda c: services.invite_link_reset(actor=request.user, circle=c),
        "A new invite link is ready; the old one no longer works.",
    )
