"""The admin's status page (docs/operating.md: Health): is background work happening,
what waits, and how many safety cases are open."""

from django.contrib import admin
from django.shortcuts import render

from . import health


def admin_status(request):
    context = {
        **admin.site.each_context(request),
        "title": "Status",
        "status": health.operations_status(),
    }
    return render(request, "admin/status.html", context)


admin_status_view = admin.site.admin_view(admin_status)
