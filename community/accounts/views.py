from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from community import ratelimit

from .forms import SignupForm
from .services import user_signup


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("circles:list")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            ratelimit.hit(
                "signup",
                ratelimit.client_address(request),
                ratelimit.SIGNUP_PER_ADDRESS,
            )
        except ratelimit.RateLimited as exc:
            form.is_valid()
            form.add_error(None, exc.limit.message)
            return render(request, "accounts/signup.html", {"form": form}, status=429)
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
                return redirect("circles:list")
        status = 400
    return render(request, "accounts/signup.html", {"form": form}, status=status)


class LoginView(auth_views.LoginView):
    """Django's log-in, with attempts limited per account and per address."""

    def post(self, request, *args, **kwargs):
        username = (request.POST.get("username") or "").strip().lower()[:150]
        try:
            ratelimit.hit("login-user", username, ratelimit.LOGIN_PER_USERNAME)
            ratelimit.hit(
                "login-addr",
                ratelimit.client_address(request),
                ratelimit.LOGIN_PER_ADDRESS,
            )
        except ratelimit.RateLimited as exc:
            form = self.get_form()
            form.is_valid()
            form.errors.clear()
            form.add_error(None, exc.limit.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            response.status_code = 400
        return response
