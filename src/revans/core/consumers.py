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

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "clock":
            await self.send_json({"type": "clock", "now": timezone.now().isoformat()})
        else:
            await self.send_json({"type": "error", "message": "Unknown message."})
