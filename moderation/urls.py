from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.staff_index, name="index"),
    path("flag/", views.flag, name="flag"),
    path(
        "thread/<int:object_id>/lock/", views.thread_lock, {"locked": True}, name="lock"
    ),
    path(
        "thread/<int:object_id>/unlock/",
        views.thread_lock,
        {"locked": False},
        name="unlock",
    ),
    path(
        "<str:kind>/<int:object_id>/<str:action>/",
        views.content_action,
        name="action",
    ),
]

circle_urlpatterns = [
    path("<slug:slug>/moderation/", views.review_queue, name="queue"),
    path("<slug:slug>/moderation/words/", views.words, name="words"),
    path("<slug:slug>/not-ok/", views.not_ok, name="not_ok"),
]

member_urlpatterns = [
    path("<int:user_id>/ignore/", views.ignore, name="ignore"),
    path("<int:user_id>/unignore/", views.unignore, name="unignore"),
]
