import json
import logging
import os
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from revans.core import layer_watch

from ..models import Meeting, RoomPresence
from . import rights, services
from .state import snapshot

MAX_FRAME = 8 * 1024  # bytes: a command is small; anything bigger is refused, not parsed
PID = os.getpid()
# Presence rows not refreshed for this long belong to a socket that died with its server.
PRESENCE_STALE = timedelta(minutes=3)
# The close code for "try again later": the database is out of reach. The page says it is
# reconnecting and does, with its backoff, then catches up with hello (bench/faults.py).
TRY_AGAIN = 1013

logger = logging.getLogger(__name__)


class RateLimit:
    """A token bucket per person and meeting, shared by that person's sockets in this process:
    a burst of ``burst`` commands, then ``per_second``. Enough for a chair clicking +1 min five
    times; not for 300 review notes in six seconds."""

    burst = 12
    per_second = 2.0
    _buckets: dict[tuple[int, int], tuple[float, float]] = {}

    @classmethod
    def allow(cls, user_id: int, meeting_id: int) -> bool:
        now = time.monotonic()
        tokens, last = cls._buckets.get((user_id, meeting_id), (cls.burst, now))
        tokens = min(cls.burst, tokens + (now - last) * cls.per_second)
        if tokens < 1:
            cls._buckets[(user_id, meeting_id)] = (tokens, now)
            return False
        cls._buckets[(user_id, meeting_id)] = (tokens - 1, now)
        if len(cls._buckets) > 10_000:  # forget the idle, not the busy
            cls._buckets = {k: v for k, v in cls._buckets.items() if now - v[1] < 60}
        return True


class RoomConsumer(AsyncWebsocketConsumer):
    """One participant's connection to a live meeting. Only the people in the set get in;
    observers follow but cannot change anything (the services check every command).

    The socket holds the rights the person has *now* (architecture.md §4): it listens on a group of
    its own person, told whenever their memberships, password or sign-in change, and checks
    again then, and at every ``hello``; when they are gone it closes (4404 removed from the set,
    4401 signed out)."""

    async def connect(self):
        self.meeting_id = int(self.scope["url_route"]["kwargs"]["meeting_id"])
        self.user = self.scope["user"]
        self.greeted = False
        if not self.user.is_authenticated or await self._refusal() is not None:
            # The same refusal for a missing meeting and a forbidden one.
            await self.close(code=4404)
            return
        self.group = services.group_name(self.meeting_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(rights.user_group(self.user.pk), self.channel_name)
        await self.accept()
        layer_watch.follow(self)  # Redis restarted: close, so the page reconnects and catches up
        await self._presence(joined=True)

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.channel_layer.group_discard(
                rights.user_group(self.user.pk), self.channel_name
            )
            await self._presence(joined=False)

    async def receive(self, text_data=None, bytes_data=None):
        try:
            return await self._receive(text_data, bytes_data)
        except (OperationalError, InterfaceError) as error:
            # The database went away (or the pool waited past its timeout): nothing was applied
            # (each command is one transaction) and the page will send it again.
            logger.warning(
                "room %s: database unreachable (%s): socket closed", self.meeting_id, error
            )
            return await self.close(code=TRY_AGAIN)

    async def _receive(self, text_data, bytes_data):
        if bytes_data is not None or text_data is None:
            return await self._error(None, "Send JSON text frames.")
        if len(text_data.encode()) > MAX_FRAME:
            return await self._error(None, "That message is too large.")
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than Python goes
            return await self._error(None, "That is not JSON.")
        if not isinstance(message, dict):
            return await self._error(None, "Send a JSON object.")
        if not storable(message):
            return await self._error(None, "That message has characters that cannot be stored.")
        client_id = message.get("id") if isinstance(message.get("id"), str) else ""
        if len(client_id) > 64:
            return await self._error(None, "Message ids are at most 64 characters.")
        kind = message.get("type")
        if kind == "hello":
            return await self._hello(message.get("last_seq"))
        if kind == "ping":
            await self._touch()
            return await self.send(text_data='{"type": "pong"}')
        if kind == "command":
            return await self._command(message, client_id)
        return await self._error(client_id, "Unknown message type.")

    async def _command(self, message: dict, client_id: str):
        meeting = message.get("meeting", self.meeting_id)
        if meeting != self.meeting_id:
            return await self._error(client_id, "That command is for another meeting.")
        name, args = message.get("name"), message.get("args") or {}
        if not isinstance(name, str) or not isinstance(args, dict):
            return await self._error(client_id, "A command has a name and its arguments.")
        if not RateLimit.allow(self.user.pk, self.meeting_id):
            return await self._error(
                client_id, "Slow down: that was too many changes at once. Try again in a moment."
            )
        try:
            applied = await self._apply(name, args, client_id)
        except services.NotInSet:
            return await self.close(code=rights.NOT_IN_SET)
        except services.Refused as refusal:
            return await self._error(client_id, str(refusal))
        if applied.verdict is not None:
            # The coach's word on the question, for the asker alone (architecture.md §5), as the
            # handler classified it when it stored the question's label.
            verdict = applied.verdict
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
        if applied.repeated:
            # Answered to its sender alone; a new event reached everyone through the group,
            # the sender too, sent by the service after commit.
            await self.send(text_data=json.dumps(applied.event))
        return None

    async def dispatch(self, message):
        """As Channels dispatches, without its hop to the database thread before every message
        to close stale connections: a wait in line behind the commands being applied, for each
        person in each room at each event. Every database call here goes through
        ``database_sync_to_async``, which closes them itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def room_event(self, event):
        # Straight to the socket: one of these per person per event, the busiest path here.
        await self.base_send({"type": "websocket.send", "text": event["text"]})

    async def room_presence(self, event):
        if self.greeted:
            await self.send(text_data=event["text"])

    async def rights_check(self, event):
        """Their memberships, password or session changed: are they still allowed in?"""
        session = self.scope.get("session")
        ended = event.get("ended")
        if ended and session is not None and session.session_key == ended:
            return await self.close(code=rights.SIGNED_OUT)
        refusal = await self._refusal()
        if refusal is not None:
            await self.close(code=refusal)

    async def _hello(self, last_seq):
        if last_seq is not None and (isinstance(last_seq, bool) or not isinstance(last_seq, int)):
            return await self._error(None, "last_seq must be a number.")
        refusal = await self._refusal()
        if refusal is not None:
            # Removed (or signed out) while connected: nothing more reaches them.
            return await self.close(code=refusal)
        self.greeted = True
        messages, online = await self._catch_up(last_seq)
        for message in messages:
            await self.send(text_data=json.dumps(message))
        await self.send(text_data=json.dumps({"type": "presence", "online": online}))
        return None

    async def _error(self, client_id, text):
        await self.send(text_data=json.dumps({"type": "error", "id": client_id, "message": text}))

    async def _presence(self, joined: bool):
        online = await self._record_presence(joined)
        text = json.dumps({"type": "presence", "online": online})
        await self.channel_layer.group_send(self.group, {"type": "room.presence", "text": text})

    @database_sync_to_async
    def _refusal(self) -> int | None:
        return rights.refusal(self.scope, self.user, self.meeting_id)

    @database_sync_to_async
    def _record_presence(self, joined: bool) -> list[int]:
        if joined:
            RoomPresence.objects.update_or_create(
                channel_name=self.channel_name,
                defaults={
                    "meeting_id": self.meeting_id,
                    "user": self.user,
                    "seen_at": timezone.now(),
                },
            )
        else:
            RoomPresence.objects.filter(channel_name=self.channel_name).delete()
        return _online(self.meeting_id)

    @database_sync_to_async
    def _touch(self) -> None:
        RoomPresence.objects.filter(channel_name=self.channel_name).update(seen_at=timezone.now())

    @database_sync_to_async
    def _catch_up(self, last_seq) -> tuple[Sequence[Mapping[str, Any]], list[int]]:
        RoomPresence.objects.filter(channel_name=self.channel_name).update(seen_at=timezone.now())
        online = _online(self.meeting_id)
        meeting = Meeting.objects.select_related("set", "format").get(pk=self.meeting_id)
        room = services.open_room(meeting)
        if last_seq is not None:
            missed = services.missed_events(meeting, last_seq)
            if missed is not None:
                return missed, online
        return [
            {
                "type": "snapshot",
                "seq": room.seq,
                "state": snapshot(room),
                "server_time": timezone.now().isoformat(),
                "pid": PID,
            }
        ], online

    @database_sync_to_async
    def _apply(self, name, args, client_id) -> services.Applied:
        return services.apply(self.meeting_id, self.user, name, args, client_id)


def storable(message: Any) -> bool:
    """No text in the message (keys included, at any depth) holds what no database stores: a
    NUL character, or half of a surrogate pair (JSON can escape one; UTF-8 cannot carry it)."""
    waiting = [message]
    while waiting:
        value = waiting.pop()
        if isinstance(value, dict):
            waiting.extend(value)
            waiting.extend(value.values())
        elif isinstance(value, list):
            waiting.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                return False
            try:
                value.encode()
            except UnicodeEncodeError:
                return False
    return True


def _online(meeting_id: int) -> list[int]:
    """The people with a room socket open now (a socket pings every minute or so)."""
    fresh = timezone.now() - PRESENCE_STALE
    return sorted(
        set(
            RoomPresence.objects.filter(meeting_id=meeting_id, seen_at__gte=fresh).values_list(
                "user_id", flat=True
            )
        )
    )
