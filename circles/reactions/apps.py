from django.apps import AppConfig


class ReactionsConfig(AppConfig):
    name = "circles.reactions"
    label = "reactions"
