"""WebSocket routes, all under /ws/. The live meeting room adds its own here."""

from django.urls import path

from revans.core.consumers import ClockConsumer
from revans.meetings.room.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/clock/", ClockConsumer.as_asgi()),
    path("ws/meetings/<int:meeting_id>/room/", RoomConsumer.as_asgi()),
]
