from django.urls import path

from community.sockets.routes import CIRCLE, ROUTES

from .chat.consumers import CircleConsumer

websocket_urlpatterns = [
    path(ROUTES[CIRCLE], CircleConsumer.as_asgi(), name=CIRCLE),
]
