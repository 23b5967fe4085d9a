import json
import os

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from revans.coach import classify
from revans.sets.models import Membership

from ..models import Meeting
from . import services
from .state import snapshot

MAX_FRAME = 8 * 1024  # bytes: a command is small; anything bigger is refused, not parsed
PID = os.getpid()


class RoomConsumer(AsyncWebsocketConsumer):
    """One participant's connection to a live meeting. Only the people in the set get in;
    observers follow but cannot change anything (the services check every command)."""

    async def connect(self):
        self.meeting_id = int(self.scope["url_route"]["kwargs"]["meeting_id"])
        self.user = self.scope["user"]
        if not self.user.is_authenticated or not await self._in_set():
            # The same refusal for a missing meeting and a forbidden one.
            await self.close(code=4404)
            return
        self.group = services.group_name(self.meeting_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if bytes_data is not None or text_data is None:
            return await self._error(None, "Send JSON text frames.")
        if len(text_data.encode()) > MAX_FRAME:
            return await self._error(None, "That message is too large.")
        try:
            message = json.loads(text_data)
        except ValueError:
            return await self._error(None, "That is not JSON.")
        if not isinstance(message, dict):
            return await self._error(None, "Send a JSON object.")
        client_id = message.get("id") if isinstance(message.get("id"), str) else ""
        if len(client_id) > 64:
            return await self._error(None, "Message ids are at most 64 characters.")
        kind = message.get("type")
        if kind == "hello":
            return await self._hello(message.get("last_seq"))
        if kind == "command":
            meeting = message.get("meeting", self.meeting_id)
            if meeting != self.meeting_id:
                return await self._error(client_id, "That command is for another meeting.")
            name, args = message.get("name"), message.get("args") or {}
            if not isinstance(name, str) or not isinstance(args, dict):
                return await self._error(client_id, "A command has a name and its arguments.")
            try:
                message, repeated = await self._apply(name, args, client_id)
            except services.Refused as refusal:
                return await self._error(client_id, str(refusal))
            text = json.dumps(message)
            if name == "question" and not repeated:
                # The coach's word on the question, for the asker alone (DESIGN.md §5): the
                # text as stored, so the hint matches the label kept on the question.
                verdict = classify(services._text(args))
                await self.send(
                    text_data=json.dumps(
                        {
                            "type": "coach",
                            "id": client_id,
                            "label": verdict.label,
                            "hint": verdict.hint,
                            "suggestion": verdict.suggestion,
                        }
                    )
                )
            if repeated:
                # Answered to its sender alone; a new message reaches everyone through the group.
                return await self.send(text_data=text)
            # Committed by now: everyone in the meeting gets it, the sender too.
            await self.channel_layer.group_send(self.group, {"type": "room.event", "text": text})
            return None
        return await self._error(client_id, "Unknown message type.")

    async def room_event(self, event):
        await self.send(text_data=event["text"])

    async def _hello(self, last_seq):
        if last_seq is not None and (isinstance(last_seq, bool) or not isinstance(last_seq, int)):
            return await self._error(None, "last_seq must be a number.")
        for message in await self._catch_up(last_seq):
            await self.send(text_data=json.dumps(message))

    async def _error(self, client_id, text):
        await self.send(text_data=json.dumps({"type": "error", "id": client_id, "message": text}))

    @database_sync_to_async
    def _in_set(self) -> bool:
        # A membership of the meeting's set: none for a missing meeting, in one query.
        return Membership.objects.filter(set__meetings__pk=self.meeting_id, user=self.user).exists()

    @database_sync_to_async
    def _catch_up(self, last_seq) -> list[dict]:
        meeting = Meeting.objects.select_related("set", "format").get(pk=self.meeting_id)
        room = services.open_room(meeting)
        if last_seq is not None:
            missed = services.missed_events(meeting, last_seq)
            if missed is not None:
                return missed
        return [
            {
                "type": "snapshot",
                "seq": room.seq,
                "state": snapshot(room),
                "server_time": timezone.now().isoformat(),
                "pid": PID,
            }
        ]

    @database_sync_to_async
    def _apply(self, name, args, client_id) -> tuple[dict, bool]:
        return services.apply(self.meeting_id, self.user, name, args, client_id, broadcast=False)
