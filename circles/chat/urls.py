from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/slow-mode/", views.slow_mode, name="slow_mode"),
]
