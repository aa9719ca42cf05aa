"""Moderation's URLs: site-wide ones under /moderation/, a circle's queue and safety
button under /circles/<slug>/, and ignoring under /members/."""

from django.urls import path

from .flags import views as flag_views
from .review import views as review_views
from .safety import views as safety_views

app_name = "moderation"

urlpatterns = [
    path("", review_views.staff_index, name="index"),
    path("flag/", flag_views.flag, name="flag"),
    path(
        "thread/<int:object_id>/lock/",
        review_views.thread_lock,
        {"locked": True},
        name="lock",
    ),
    path(
        "thread/<int:object_id>/unlock/",
        review_views.thread_lock,
        {"locked": False},
        name="unlock",
    ),
    path("take-next/", safety_views.take_next, name="take_next"),
    path("<str:kind>/<int:object_id>/pick-up/", safety_views.pick_up, name="pick_up"),
    path("<str:kind>/<int:object_id>/care/", safety_views.care, name="care"),
    path(
        "<str:kind>/<int:object_id>/safety-done/",
        safety_views.safety_done,
        name="safety_done",
    ),
    path(
        "<str:kind>/<int:object_id>/<str:action>/",
        review_views.content_action,
        name="action",
    ),
]

circle_urlpatterns = [
    path("<slug:slug>/moderation/", review_views.review_queue, name="queue"),
    path("<slug:slug>/moderation/words/", review_views.words, name="words"),
    path("<slug:slug>/not-ok/", safety_views.not_ok, name="not_ok"),
    path(
        "<slug:slug>/moderation/take-next/",
        safety_views.take_next,
        name="take_next",
    ),
]

safety_urlpatterns = [
    path("misread/", safety_views.misread, name="misread"),
]

member_urlpatterns = [
    path("<int:user_id>/ignore/", safety_views.ignore, name="ignore"),
    path("<int:user_id>/unignore/", safety_views.unignore, name="unignore"),
]
