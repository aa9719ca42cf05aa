from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from circles.threads.views import asks_mine
from moderation import urls as moderation_urls

from . import views

urlpatterns = [
    path("", RedirectView.as_view(url="/circles/", permanent=False), name="home"),
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
    path("search/", include("circles.search.urls")),
    path("saved/", include("circles.saved.urls")),
    path("admin/", admin.site.urls),
]
