from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from community import ratelimit

from .forms import SignupForm
from .services import user_signup


def safe_next(request, default: str | None = None) -> str:
    """The `next` a page asked to return to, if it is a path on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignupForm(request.POST or None)
    context = {"form": form, "next": next_url}
    status = 200
    if request.method == "POST":
        try:
            ratelimit.hit_action("SIGNUP", ratelimit.client_address(request))
        except ratelimit.RateLimited as exc:
            form.is_valid()
            form.add_error(None, exc.limit.message)
            response = render(request, "accounts/signup.html", context, status=429)
            response["Retry-After"] = str(int(exc.retry_after) + 1)
            return response
        if form.is_valid():
            try:
                user = user_signup(
                    username=form.cleaned_data["username"],
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                login(
                    request, user, backend="django.contrib.auth.backends.ModelBackend"
                )
                return redirect(next_url)
        status = 400
    return render(request, "accounts/signup.html", context, status=status)


class LoginView(auth_views.LoginView):
    """Django's log-in, slowed per address and per account-and-address together, each
    with a growing wait after repeated failures: an attacker elsewhere slows only
    themselves and never locks the owner out. Attempts are counted before the password
    is checked and refused while waiting, so a burst in parallel or a right guess
    cannot skip the wait."""

    def post(self, request, *args, **kwargs):
        address = ratelimit.client_address(request)
        username = (request.POST.get("username") or "").strip().lower()[:150]
        scopes = [
            ("LOGIN_ADDRESS", address),
            ("LOGIN_ACCOUNT", f"{username}|{address}"),
        ]
        if self.get_redirect_url().startswith(reverse("admin:index")):
            scopes.append(("ADMIN_LOGIN", address))
        begun = []
        try:
            for action, ident in scopes:
                ratelimit.attempt_begin(action, ident)
                begun.append((action, ident))
        except ratelimit.RateLimited as exc:
            for action, ident in begun:  # refused: this attempt counts nowhere
                ratelimit.attempt_undo(action, ident)
            form = self.get_form()
            form.is_valid()
            form.errors.clear()
            form.add_error(None, exc.limit.message)
            response = self.render_to_response(
                self.get_context_data(form=form), status=429
            )
            response["Retry-After"] = str(int(exc.retry_after) + 1)
            return response
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            for action, ident in scopes:
                ratelimit.attempt_succeeded(
                    action, ident, forget=action == "LOGIN_ACCOUNT"
                )
            return response
        response.status_code = 400
        return response
