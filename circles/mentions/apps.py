from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "circles.mentions"
    label = "mentions"
