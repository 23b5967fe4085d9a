"""The database out of reach under a room socket: it closes with 1013 ("try again later"), so the
page says it is reconnecting and catches up when it is back; nothing is half-applied."""

from asgiref.sync import async_to_sync
from django.db import OperationalError

from revans.meetings.models import RoomEvent
from revans.meetings.room import consumers, services
from revans.meetings.room.consumers import TRY_AGAIN
from revans.meetings.room.services import open_room

from .test_room import connect, cookie_for, make_meeting, next_message, socket_db


def unreachable(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@socket_db
def test_a_command_while_the_database_is_away_closes_the_socket_for_a_reconnect(world, monkeypatch):
    meeting = make_meeting(world)
    open_room(meeting)
    cookie = cookie_for(world, world.fran)

    async def run():
        fran = connect(cookie, meeting.pk)
        assert (await fran.connect())[0]
        await fran.send_json_to({"type": "hello", "last_seq": None})
        assert (await next_message(fran))["type"] == "snapshot"
        monkeypatch.setattr(services, "apply", unreachable)
        await fran.send_json_to({"type": "command", "id": "a1", "name": "advance", "args": {}})
        while True:
            output = await fran.receive_output(2)
            if output["type"] == "websocket.close":
                return output
            assert '"event"' not in output.get("text", "")

    assert async_to_sync(run)() == {"type": "websocket.close", "code": TRY_AGAIN}
    assert not RoomEvent.objects.filter(meeting=meeting).exists()


@socket_db
def test_a_hello_while_the_database_is_away_closes_the_socket_too(world, monkeypatch):
    meeting = make_meeting(world)
    cookie = cookie_for(world, world.mo)

    async def run():
        mo = connect(cookie, meeting.pk)
        assert (await mo.connect())[0]
        monkeypatch.setattr(consumers.rights, "refusal", unreachable)
        await mo.send_json_to({"type": "hello", "last_seq": 3})
        while True:
            output = await mo.receive_output(2)
            if output["type"] == "websocket.close":
                return output

    assert async_to_sync(run)() == {"type": "websocket.close", "code": TRY_AGAIN}
