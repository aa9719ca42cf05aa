"""The notifications page: newest first; opening it does not mark them read, the
"mark all read" button does."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import services
from .models import Notification


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "notifications/list.html", {"notifications": notifications})


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("notifications:list")
