from django.contrib import admin
from django.urls import include, path

from circles.threads.views import asks_mine
from community.conversations import urls as conversation_urls
from community.jobs.views import admin_status_view
from community.metrics import metrics as metrics_view
from community.notifications.views import unsubscribe
from moderation import urls as moderation_urls

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("accounts/", include("community.accounts.urls")),
    path("circles/", include("circles.urls")),
    path("resources/", include("community.resources.urls")),
    path("messages/", include("community.conversations.urls")),
    path(
        "moderation/messages/",
        include((conversation_urls.staff_urlpatterns, "conversations_staff")),
    ),
    path(
        "circles/",
        include((conversation_urls.check_in_urlpatterns, "conversations_check_in")),
    ),
    path(
        "members/",
        include((conversation_urls.member_urlpatterns, "conversations_members")),
    ),
    path("moderation/", include("moderation.urls")),
    path(
        "circles/", include((moderation_urls.circle_urlpatterns, "moderation_circle"))
    ),
    path("members/", include((moderation_urls.member_urlpatterns, "members"))),
    path("safety/", include((moderation_urls.safety_urlpatterns, "safety"))),
    path("notifications/", include("community.notifications.urls")),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
    path("asks/mine/", asks_mine, name="asks_mine"),
    path("search/", include("circles.search.urls")),
    path("saved/", include("circles.saved.urls")),
    path("admin/status/", admin_status_view, name="admin_status"),
    path("admin/", admin.site.urls),
]
