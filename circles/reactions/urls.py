from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/react/", views.react, name="react"),
    path(
        "<slug:slug>/react/<str:kind>/<int:item_id>/",
        views.reactors,
        name="reactors",
    ),
]
