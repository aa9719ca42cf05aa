"""Account control pages: settings, log out everywhere, export, delete, and the
email verification link. Thin: the work is in control, data, erasure, verification."""

import json

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from community import ratelimit
from community.outbox.discreet import discreet_for

from . import control, data, erasure, verification
from .settings_forms import ZONES, AccountSettingsForm, DeleteAccountForm


def _page(request, form, delete_form=None, status=200):
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "delete_form": delete_form or DeleteAccountForm(user=request.user),
            "zones": ZONES,
            "discreet_forced": discreet_for(request.user)
            and not request.user.discreet_email,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    user = request.user
    if request.method == "GET":
        return _page(
            request, AccountSettingsForm(initial=AccountSettingsForm.initial_for(user))
        )
    form = AccountSettingsForm(request.POST, user=user)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        with transaction.atomic():  # a refused address keeps the rest unsaved too
            sent = control.account_settings_update(
                user=user,
                display_name=form.cleaned_data["display_name"],
                email=form.cleaned_data["email"],
                allow_messages=form.cleaned_data["allow_messages"],
                notify=form.notify(),
                time_zone=form.cleaned_data["time_zone"],
                quiet_hours=form.cleaned_data["quiet_hours"],
            )
            control.safety_settings_update(
                user=user,
                crisis_country=form.cleaned_data["crisis_country"],
                discreet_email=form.cleaned_data["discreet_email"],
            )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        user.refresh_from_db()
        return _page(request, form, status=400)
    text = "Your settings are saved."
    if sent and user.email_pending:
        text += (
            " We sent a link to your new email address: until you open it, your "
            "confirmed address stays on the account, and we told it about the change."
        )
    elif sent:
        text += (
            " We sent a link to your new email address: nothing else goes to it "
            "until you open that link."
        )
    messages.success(request, text)
    return redirect("account_settings")


@login_required
@require_POST
def verification_resend(request):
    user = request.user
    if user.email_pending or (user.email and not user.email_verified_at):
        try:
            verification.verification_send(user=user)
        except ratelimit.RateLimited as exc:
            messages.error(request, exc.limit.message)
            return redirect("account_settings")
        messages.success(request, "We sent a new confirmation link to your address.")
    return redirect("account_settings")


@require_http_methods(["GET"])
def email_verify(request, token):
    user = verification.email_verify(token=token)
    if (
        user is not None
        and request.user.is_authenticated
        and request.user.pk == user.pk
    ):
        update_session_auth_hash(request, user)
    return render(
        request,
        "accounts/verify.html",
        {"verified": user is not None},
        status=200 if user else 404,
    )


@login_required
@require_POST
def logout_everywhere(request):
    control.sessions_end_all(user=request.user)
    logout(request)
    messages.success(
        request, "You are logged out everywhere, on this device and every other."
    )
    return redirect("login")


@login_required
@require_http_methods(["GET"])
def account_export(request):
    if request.GET.get("format") == "html":
        response = render(
            request,
            "accounts/export.html",
            {"page": data.account_export_page(user=request.user)},
        )
        response["Cache-Control"] = "no-store"
        return response
    document = data.account_export(user=request.user)
    stamp = timezone.now().strftime("%Y-%m-%d")
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="circles-my-data-{stamp}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def account_delete(request):
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(
            request,
            AccountSettingsForm(initial=AccountSettingsForm.initial_for(request.user)),
            delete_form=form,
            status=400,
        )
    content = form.cleaned_data["content"]
    erasure.account_delete(user=request.user, content=content)
    logout(request)
    return render(request, "accounts/deleted.html", {"content": content})
