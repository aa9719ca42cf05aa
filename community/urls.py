from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", RedirectView.as_view(url="/circles/", permanent=False), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("community.accounts.urls")),
    path("circles/", include("circles.urls")),
    path("admin/", admin.site.urls),
]
