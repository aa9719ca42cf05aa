"""ASGI entry point: HTTP through Django, WebSockets through Channels behind
session auth and an Origin check against the site's own origins."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from circles.routing import websocket_urlpatterns  # noqa: E402
from community.conversations.routing import (  # noqa: E402
    websocket_urlpatterns as me_urlpatterns,
)

from .metrics import SocketCount  # noqa: E402
from .origins import SiteOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SocketCount(
            SiteOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns + me_urlpatterns))
            )
        ),
    }
)
