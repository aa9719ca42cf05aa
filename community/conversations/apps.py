from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "community.conversations"
    label = "conversations"
    verbose_name = "Private conversations"

    def ready(self):
        # Connects the receivers that end /ws/me/ sockets on log-out, password
        # change and deactivation.
        from . import signals  # noqa: F401
