from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "circles.search"
    label = "search"
