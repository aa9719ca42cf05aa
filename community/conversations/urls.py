"""URL lines of private conversations; `community/urls.py` includes each list."""

from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("<int:conversation_id>/", views.conversation_detail, name="detail"),
    path("<int:conversation_id>/send/", views.conversation_send, name="send"),
    path("<int:conversation_id>/close/", views.conversation_close, name="close"),
    path("<int:conversation_id>/report/", views.conversation_report, name="report"),
]

# Under /circles/ and /members/.
check_in_urlpatterns = [
    path(
        "<slug:slug>/members/<int:user_id>/check-in/",
        views.check_in,
        name="check_in",
    ),
]
member_urlpatterns = [
    path("<int:user_id>/message/", views.message_member, name="message"),
]
# Under /moderation/messages/: site staff only.
staff_urlpatterns = [
    path("", views.staff_queue, name="queue"),
    path("<int:report_id>/resolve/", views.staff_resolve, name="resolve"),
    path("check-in/<int:user_id>/", views.staff_check_in, name="check_in"),
]
