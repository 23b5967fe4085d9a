import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings

from revans.asgi import application
from revans.core.layers import InMemoryChannelLayer


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


def test_frames_that_are_not_json_get_the_error_and_the_clock_goes_on(world):
    """Found by tests/fuzz: text that is not JSON, an empty frame, a binary one and JSON nested
    past Python's recursion limit each raised in the consumer and closed the socket."""
    client = world.client(world.mo)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def talk():
        communicator = connect("/ws/clock/", cookie)
        await communicator.connect()
        await communicator.receive_json_from()
        answers = []
        for frame in ({"text": "00"}, {"text": ""}, {"bytes": b"\x00"}, {"text": "[" * 1000}):
            await communicator.send_input({"type": "websocket.receive", **frame})
            answers.append(await communicator.receive_json_from())
        await communicator.send_json_to({"type": "clock"})
        answers.append(await communicator.receive_json_from())
        await communicator.disconnect()
        return answers

    answers = async_to_sync(talk)()
    assert answers[:4] == [{"type": "error", "message": "Unknown message."}] * 4
    assert answers[4]["type"] == "clock"


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


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://localhost", "localhost", True),
        ("http://localhost:8000", "localhost:8000", True),
        ("https://localhost", "localhost", True),  # TLS ended at a proxy: Host has no port
        ("https://localhost:443", "localhost", True),
        ("http://localhost:9999", "localhost:8000", False),  # another port of the same host
        ("http://localhost", "localhost:8000", False),
        ("http://localhost:8000", "localhost", False),
        ("https://evil.example", "localhost", False),
        ("http://evil.example", "evil.example", False),  # not in ALLOWED_HOSTS
        ("", "localhost", False),
        ("null", "localhost", False),
        ("http://localhost:notaport", "localhost", False),
        ("javascript://localhost", "localhost", False),
    ],
)
def test_the_origin_must_name_the_sockets_host_and_port(origin, host, allowed, settings):
    from revans.core.origin import same_origin

    settings.ALLOWED_HOSTS = ["localhost"]
    assert same_origin(origin, host) is allowed


def test_a_page_on_another_port_of_the_same_host_cannot_open_a_socket(db):
    async def talk():
        communicator = WebsocketCommunicator(
            application,
            "/ws/clock/",
            headers=[(b"origin", b"http://localhost:9999"), (b"host", b"localhost:8000")],
        )
        connected, _ = await communicator.connect()
        return connected

    assert not async_to_sync(talk)()


def test_the_in_memory_layer_gives_each_member_of_a_group_its_own_message():
    """The layer shares nothing a receiver could change: plain values are copied shallowly,
    anything else deeply (revans.core.layers)."""
    layer = InMemoryChannelLayer()

    async def run():
        names = [await layer.new_channel() for _ in range(3)]
        for name in names[:2]:
            await layer.group_add("room-1", name)
        await layer.group_send("room-1", {"type": "room.event", "text": "{}"})
        await layer.group_send("room-1", {"type": "rights.check", "people": [1]})
        first = [await layer.receive(names[0]), await layer.receive(names[0])]
        second = [await layer.receive(names[1]), await layer.receive(names[1])]
        first[1]["people"].append(2)
        return first, second, names[2] in layer.channels

    first, second, outsider_got_one = async_to_sync(run)()
    assert first[0] == second[0] == {"type": "room.event", "text": "{}"}
    assert first[0] is not second[0]
    assert second[1]["people"] == [1]
    assert not outsider_got_one


def test_a_full_channel_misses_a_group_message_and_the_others_still_get_it():
    layer = InMemoryChannelLayer(capacity=1)

    async def run():
        full, free = await layer.new_channel(), await layer.new_channel()
        await layer.send(full, {"type": "first"})
        for name in (full, free):
            await layer.group_add("room-1", name)
        await layer.group_send("room-1", {"type": "room.event", "text": "{}"})
        return [await layer.receive(full), await layer.receive(free)]

    assert [m["type"] for m in async_to_sync(run)()] == ["first", "room.event"]
