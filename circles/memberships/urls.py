from django.urls import path

from . import views

urlpatterns = [
    path("", views.circle_list, name="list"),
    path("new/", views.circle_new, name="new"),
    path("<slug:slug>/leave/", views.circle_leave, name="leave"),
    path("<slug:slug>/step-down/", views.circle_step_down, name="step_down"),
    path("<slug:slug>/ask-invite/", views.circle_ask_invite, name="ask_invite"),
    path("<slug:slug>/members/", views.circle_members, name="members"),
    path("<slug:slug>/invite/reset/", views.invite_reset, name="invite_reset"),
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
    path(
        "<slug:slug>/members/<int:user_id>/unmute/", views.member_unmute, name="unmute"
    ),
    path("<slug:slug>/members/<int:user_id>/ban/", views.member_ban, name="ban"),
    path("<slug:slug>/members/<int:user_id>/unban/", views.member_unban, name="unban"),
]
