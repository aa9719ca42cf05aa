from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/members.json", views.members_json, name="members_json"),
]
