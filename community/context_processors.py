from django.conf import settings


def site(request):
    return {"SITE_NAME": "Circles", "DEBUG": settings.DEBUG}
