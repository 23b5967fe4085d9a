import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone


class ClockConsumer(AsyncJsonWebsocketConsumer):
    """The server's clock for signed-in people: meeting timers run on server time.

    It also lets an operator check that WebSockets pass through their proxy.
    """

    async def connect(self):
        if not self.scope["user"].is_authenticated:
            await self.close(code=4401)
            return
        await self.accept()
        await self.send_json({"type": "clock", "now": timezone.now().isoformat()})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Any frame gets an answer: one that is not JSON text (bytes, an empty frame, JSON
        nested past Python's recursion limit) the error, as an unknown message does."""
        try:
            content = json.loads(text_data) if text_data else None
        except (ValueError, RecursionError):
            content = None
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "clock":
            await self.send_json({"type": "clock", "now": timezone.now().isoformat()})
        else:
            await self.send_json({"type": "error", "message": "Unknown message."})
