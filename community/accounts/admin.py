from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "display_name", "email")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Community", {"fields": ("display_name",)}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Community", {"fields": ("display_name",)}),
    )


def admin_login_through_site(request, extra_context=None):
    """The admin's own log-in form has none of the site's limits: send every visit,
    GET or POST, to the site's log-in (limited per address and per account), coming
    back to the admin page that was asked for."""
    index = reverse("admin:index")
    target = request.GET.get("next") or index
    if not (
        target.startswith(index)
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = index
    return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': target})}")


# An instance attribute wins over AdminSite.login; admin.site.urls (read when the
# URLconf loads, after this module is imported by admin autodiscovery) routes
# /admin/login/ here.
admin.site.login = admin_login_through_site
