from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings

from revans.asgi import application


def connect(path: str, cookie: str = ""):
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


def test_signed_in_person_gets_the_server_clock_over_websocket(world):
    client = world.client(world.mo)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def talk():
        communicator = connect("/ws/clock/", cookie)
        connected, _ = await communicator.connect()
        assert connected
        first = await communicator.receive_json_from()
        await communicator.send_json_to({"type": "clock"})
        second = await communicator.receive_json_from()
        await communicator.send_json_to({"type": "nonsense"})
        error = await communicator.receive_json_from()
        await communicator.disconnect()
        return first, second, error

    first, second, error = async_to_sync(talk)()
    assert first["type"] == second["type"] == "clock"
    assert first["now"] <= second["now"]
    assert error == {"type": "error", "message": "Unknown message."}


def test_anonymous_websocket_is_closed(db):
    async def talk():
        communicator = connect("/ws/clock/")
        connected, code = await communicator.connect()
        return connected, code

    connected, code = async_to_sync(talk)()
    assert not connected
    assert code == 4401


def test_websocket_from_a_foreign_origin_is_refused(db):
    async def talk():
        communicator = WebsocketCommunicator(
            application, "/ws/clock/", headers=[(b"origin", b"https://evil.example")]
        )
        connected, _ = await communicator.connect()
        return connected

    assert not async_to_sync(talk)()
