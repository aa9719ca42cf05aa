"""Password reset by email with Django's own views: rate limited, the same answer
whether or not the address exists, mail only to verified addresses, sent by the
worker."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from community import ratelimit, realtime
from community.outbox import mail


class VerifiedPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        return (
            user
            for user in super().get_users(email)
            if user.email_verified_at is not None
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(
            loader.render_to_string(subject_template_name, context).splitlines()
        )
        body = loader.render_to_string(email_template_name, context)
        user = context["user"]
        mail.email_queue(
            key=f"reset:{user.pk}:{context['token']}",
            purpose=mail.Purpose.PASSWORD_RESET,
            user=user,
            to_address=to_email,
            subject=subject,
            body=body,
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = VerifiedPasswordResetForm
    success_url = "/accounts/password-reset/done/"

    def post(self, request, *args, **kwargs):
        email = (request.POST.get("email") or "").strip().lower()[:254]
        try:
            # RATE_LIMITS["PASSWORD_RESET"] per network and per address asked
            # about: nobody's inbox is flooded by someone else's requests.
            ratelimit.hit_action(
                "PASSWORD_RESET", f"network:{ratelimit.client_address(request)}"
            )
            ratelimit.hit_action("PASSWORD_RESET", f"email:{email}")
        except ratelimit.RateLimited as exc:
            form = self.get_form()
            form.is_valid()
            form.errors.clear()
            form.add_error(None, exc.limit.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def _sockets_end(user) -> None:
    """A new password ends every other session (Django's session hash changes);
    open sockets are told to close too (they reconnect if still logged in)."""
    realtime.broadcast_on_commit(
        realtime.user_group(user.pk), {"type": "session.ended"}
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = "/accounts/reset/done/"

    def form_valid(self, form):
        response = super().form_valid(form)
        _sockets_end(form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = "/accounts/password/done/"

    def form_valid(self, form):
        response = super().form_valid(form)
        _sockets_end(form.user)
        return response
