from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        # Imported here: receivers connect once the models are loaded.
        from .screening import signals  # noqa: F401
