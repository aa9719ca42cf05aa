"""Password reset by email with Django's own views: rate limited, the same answer
whether or not the address exists, mail only to verified addresses, sent by the
worker.

The request only hands the address to the worker (`jobs.password_reset_send`):
looking the address up and writing the email happen there, so a known and an
unknown address take the same time to answer. The link is built from `SITE_URL`,
never from the Host a request named."""

import logging
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template import loader
from django.urls import reverse, reverse_lazy

from community import ratelimit, realtime
from community.outbox import mail
from community.task_options import RETRY


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
            link=f"{context['protocol']}://{context['domain']}"
            + reverse(
                "password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            ),
        )


log = logging.getLogger(__name__)


def password_reset_send(*, email: str) -> None:
    """In the worker: queue a reset link to each verified account with `email`,
    its address taken from SITE_URL."""
    form = VerifiedPasswordResetForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(domain_override=site.netloc, use_https=site.scheme == "https")


@shared_task(name="jobs.password_reset_send", **RETRY)
def password_reset_task(email: str) -> None:
    """The worker's side (community.jobs.tasks imports it, so workers know it)."""
    password_reset_send(email=email)


def _hand_to_worker(email: str) -> None:
    try:
        password_reset_task.delay(email)
    except Exception:  # a broker that is down must not fail the request
        log.warning("password reset not handed to the worker", exc_info=True)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = VerifiedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        transaction.on_commit(lambda: _hand_to_worker(email))
        return HttpResponseRedirect(self.get_success_url())

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
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        _sockets_end(form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        _sockets_end(form.user)
        return response
