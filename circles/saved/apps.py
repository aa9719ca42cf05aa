from django.apps import AppConfig


class SavedConfig(AppConfig):
    name = "circles.saved"
    label = "saved"
