from django.urls import path

from . import views

app_name = "saved"

urlpatterns = [path("", views.saved, name="list")]
