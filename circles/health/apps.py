from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "circles.health"
    label = "health"
