from django.contrib import admin
from django.urls import include, path

from circles.thread_views import asks_mine
from moderation import urls as moderation_urls

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("community.accounts.urls")),
    path("circles/", include("circles.urls")),
    path("resources/", include("community.resources.urls")),
    path("moderation/", include("moderation.urls")),
    path(
        "circles/", include((moderation_urls.circle_urlpatterns, "moderation_circle"))
    ),
    path("members/", include((moderation_urls.member_urlpatterns, "members"))),
    path("notifications/", include("community.notifications.urls")),
    path("asks/mine/", asks_mine, name="asks_mine"),
    path("admin/", admin.site.urls),
]
