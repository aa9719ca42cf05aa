from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        # Imported here: receivers connect once the models are loaded.
        from community.outbox.discreet import discreet_force_when

        from .safety.sensitive import unsafe_case_open
        from .screening import signals  # noqa: F401

        # An open `unsafe` case makes every email to the person discreet.
        discreet_force_when(unsafe_case_open)
