from django.apps import AppConfig

from community.outbox.discreet import discreet_force_when


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        # Imported here: receivers connect once the models are loaded, and an open
        # `unsafe` case (read from the models) makes every email to the person discreet.
        from .safety.sensitive import unsafe_case_open
        from .screening import signals  # noqa: F401

        discreet_force_when(unsafe_case_open)
