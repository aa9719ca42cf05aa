from django.urls import path

from . import views

app_name = "circles"

urlpatterns = [
    path("", views.circle_list, name="list"),
    path("new/", views.circle_new, name="new"),
    path("<slug:slug>/", views.circle_detail, name="detail"),
    path("<slug:slug>/join/", views.circle_join, name="join"),
    path("<slug:slug>/leave/", views.circle_leave, name="leave"),
    path("<slug:slug>/members/", views.circle_members, name="members"),
    path("<slug:slug>/invite/reset/", views.invite_reset, name="invite_reset"),
    path("<slug:slug>/invite/<str:token>/", views.circle_invite, name="invite"),
    path(
        "<slug:slug>/members/<int:user_id>/approve/",
        views.member_approve,
        name="approve",
    ),
    path(
        "<slug:slug>/members/<int:user_id>/decline/",
        views.member_decline,
        name="decline",
    ),
    path("<slug:slug>/members/<int:user_id>/role/", views.member_role, name="role"),
    path("<slug:slug>/members/<int:user_id>/mute/", views.member_mute, name="mute"),
    path("<slug:slug>/members/<int:user_id>/ban/", views.member_ban, name="ban"),
    path("<slug:slug>/members/<int:user_id>/unban/", views.member_unban, name="unban"),
]

# --- chat ---
from . import chat_views  # noqa: E402

urlpatterns += [
    path("<slug:slug>/slow-mode/", chat_views.slow_mode, name="slow_mode"),
]

# --- threads ---
from . import thread_views  # noqa: E402

urlpatterns += [
    path("<slug:slug>/threads/", thread_views.thread_list, name="threads"),
    path("<slug:slug>/threads/new/", thread_views.thread_new, name="thread_new"),
    path(
        "<slug:slug>/threads/<int:thread_id>/",
        thread_views.thread_detail,
        name="thread",
    ),
    path(
        "<slug:slug>/threads/<int:thread_id>/reply/",
        thread_views.thread_reply,
        name="reply",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/edit/",
        thread_views.post_edit,
        name="post_edit",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/delete/",
        thread_views.post_delete,
        name="post_delete",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/helped/",
        thread_views.post_helped,
        name="post_helped",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/fragment/",
        thread_views.post_fragment,
        name="post_fragment",
    ),
]
