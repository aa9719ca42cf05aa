from django.urls import path

from . import post_views, views

urlpatterns = [
    path("<slug:slug>/threads/", views.thread_list, name="threads"),
    path("<slug:slug>/threads/new/", views.thread_new, name="thread_new"),
    path("<slug:slug>/threads/<int:thread_id>/", views.thread_detail, name="thread"),
    path(
        "<slug:slug>/threads/<int:thread_id>/reply/", views.thread_reply, name="reply"
    ),
    path(
        "<slug:slug>/threads/<int:thread_id>/part/<int:part>/",
        views.thread_part,
        name="thread_part",
    ),
    path(
        "<slug:slug>/threads/<int:thread_id>/meta/",
        views.thread_meta,
        name="thread_meta",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/reply/",
        post_views.post_reply,
        name="post_reply",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/actions/",
        post_views.post_actions_page,
        name="post_actions",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/menu/",
        post_views.post_actions_page,
        {"fragment": True},
        name="post_menu",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/edit/", post_views.post_edit, name="post_edit"
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/delete/",
        post_views.post_delete,
        name="post_delete",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/helped/",
        post_views.post_helped,
        name="post_helped",
    ),
    path(
        "<slug:slug>/posts/<int:post_id>/fragment/",
        post_views.post_fragment,
        name="post_fragment",
    ),
]
