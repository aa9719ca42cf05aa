from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/health/", views.circle_health, name="health"),
]
