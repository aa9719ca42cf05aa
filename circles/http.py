"""What every circle view shares: finding the circle the URL names (404 exactly
like a missing one for those who may not know it), and putting a service's refusal
into words on a form or a page."""

from html import escape

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from . import permissions
from .models import Circle


def error_text(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "You cannot do that here."


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors beside their fields,
    the rest on top, so the person sees why and keeps what they typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def circle_for(request, slug: str, *, invite_token: str | None = None) -> Circle:
    """The circle at `slug`, or 404 if this visitor may not know it exists. A
    missing circle is asked the same questions as a hidden one (against a stand-in
    that matches nothing), so the two cost the same work and cannot be told apart."""
    circle = Circle.objects.filter(slug=slug).first()
    if circle is None:
        stand_in = Circle(
            pk=0,
            slug=slug,
            visibility=Circle.Visibility.UNLISTED,
            join_policy=Circle.JoinPolicy.INVITE,
        )
        permissions.allow_see_circle(request.user, stand_in, invite_token=invite_token)
        raise Http404("No such circle.")
    permissions.allow_see_circle(request.user, circle, invite_token=invite_token)
    return circle


def readable_circle_for(request, slug: str) -> Circle:
    """The circle at `slug` for its readers: 404 for those who may not know it, 403
    for those who see only its public page."""
    circle = circle_for(request, slug)
    permissions.allow_read_circle(request.user, circle)
    return circle


def safe_next(request, default: str) -> str:
    """Where a form post asked to go back to, if that is a page of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def csrf_input(token) -> str:
    """What `{% csrf_token %}` writes, for forms built in Python: the hidden input
    holding `token` (`get_token(request)`, once a page), or nothing without one."""
    if not token or token == "NOTPROVIDED":
        return ""
    return (
        '<input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{escape(str(token), quote=True)}">'
    )
