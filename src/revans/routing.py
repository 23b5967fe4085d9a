"""WebSocket routes, all under /ws/. The live meeting room adds its own here."""

from django.urls import path

from revans.core.consumers import ClockConsumer

websocket_urlpatterns = [
    path("ws/clock/", ClockConsumer.as_asgi()),
]
