from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "Circles"

    def ready(self):
        # Imported here: signal receivers need the app registry ready.
        from .chat import session_end

        session_end.connect()
