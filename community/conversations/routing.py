from django.urls import path

from community.sockets.routes import ME, ROUTES

from .consumers import MeConsumer

websocket_urlpatterns = [
    path(ROUTES[ME], MeConsumer.as_asgi(), name=ME),
]
