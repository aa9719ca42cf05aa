from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notifications_read, name="read"),
    path("<int:notification_id>/open/", views.notification_open, name="open"),
]
