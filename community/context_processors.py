from django.conf import settings

from community.notifications.unread import unread_count_cached


def site(request):
    context = {"SITE_NAME": "Circles", "DEBUG": settings.DEBUG}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["notification_count"] = lambda: unread_count_cached(user=user)
    return context
