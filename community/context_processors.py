from django.conf import settings

from community.notifications.services import unread_count


def site(request):
    context = {"SITE_NAME": "Circles", "DEBUG": settings.DEBUG}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["notification_count"] = lambda: unread_count(user=user)
    return context
