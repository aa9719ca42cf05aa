"""The notifications page, the mark-read redirect its links go through, and the
one-click unsubscribe that emails link to."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import preferences, services
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


@login_required
@require_http_methods(["GET"])
def notification_open(request, notification_id):
    """Following a notification marks it read, then goes where it points."""
    url = services.notification_open(user=request.user, notification_id=notification_id)
    if not url.startswith("/") or url.startswith("//"):
        raise Http404
    return redirect(url)


@csrf_exempt  # RFC 8058: mail clients POST without a session; the token authenticates
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    found = preferences.unsubscribe_target(token)
    if found is None:
        return render(
            request, "notifications/unsubscribe.html", {"invalid": True}, status=404
        )
    user, category = found
    label = (
        "the daily digest"
        if category == "digest"
        else preferences.LABELS[category].lower()
    )
    context = {"label": label, "token": token}
    if request.method == "POST":
        services.notify_unsubscribe(user=user, category=category)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)
