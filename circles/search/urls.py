from django.urls import path

from . import views

circle_urlpatterns = [
    path("<slug:slug>/search/", views.circle_search, name="search"),
]

app_name = "search"

urlpatterns = [path("", views.site_search, name="site")]
