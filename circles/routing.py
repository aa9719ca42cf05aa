from django.urls import path

websocket_urlpatterns: list = [
    # path("ws/circles/<slug:slug>/", CircleConsumer.as_asgi()) comes with the chat.
]
