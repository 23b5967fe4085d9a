"""The watch on the channel layer's Redis: a restart (another run_id) or an outage closes the
sockets that follow it with 1012, so their pages reconnect and catch up; a healthy server
closes nothing."""

import asyncio

import pytest
from django.test import override_settings

from revans.core import layer_watch
from revans.core.layer_watch import RESTARTED, Watch


class Socket:
    def __init__(self):
        self.closed_with = None

    async def close(self, code=None, reason=None):
        self.closed_with = code


class Server:
    """Answers with its run_id, or fails as an unreachable Redis does."""

    def __init__(self):
        self.run_id, self.down = "first", False

    async def probe(self) -> str:
        if self.down:
            raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379")
        return self.run_id


def watched(count: int = 3):
    server = Server()
    watch = Watch(server.probe, every=0.01)
    sockets = [Socket() for _ in range(count)]
    watch.sockets.update(sockets)
    return server, watch, sockets


def test_a_healthy_server_closes_nothing():
    async def go():
        _server, watch, sockets = watched()
        assert not await watch.check()
        assert not await watch.check()
        assert [s.closed_with for s in sockets] == [None, None, None]

    asyncio.run(go())


def test_a_restarted_server_closes_every_socket_for_a_reconnect():
    async def go():
        server, watch, sockets = watched()
        await watch.check()
        server.run_id = "second"  # restarted, its groups forgotten
        assert await watch.check()
        assert [s.closed_with for s in sockets] == [RESTARTED] * 3
        # The sockets that reconnect follow the new server; it stays quiet while it lives.
        again = Socket()
        watch.sockets.add(again)
        assert not await watch.check()
        assert again.closed_with is None

    asyncio.run(go())


def test_an_unreachable_server_closes_the_sockets_once_and_again_when_it_is_back():
    async def go():
        server, watch, sockets = watched()
        await watch.check()
        server.down = True
        assert not await watch.check()  # one probe unanswered: perhaps only slow
        assert [s.closed_with for s in sockets] == [None] * 3
        assert await watch.check()
        assert [s.closed_with for s in sockets] == [RESTARTED] * 3
        # A socket that got in meanwhile (its groups may not hold) reconnects when it is back.
        meanwhile = Socket()
        watch.sockets.add(meanwhile)
        assert not await watch.check()  # still down: no second round of closes
        server.down = False
        assert await watch.check()
        assert meanwhile.closed_with == RESTARTED


def test_one_unanswered_probe_then_the_same_server_closes_nothing():
    async def go():
        server, watch, sockets = watched()
        await watch.check()
        server.down = True
        assert not await watch.check()
        server.down = False
        assert not await watch.check()
        assert [s.closed_with for s in sockets] == [None] * 3

    asyncio.run(go())

    asyncio.run(go())


def test_follow_starts_one_watch_per_loop_and_only_with_redis():
    async def go():
        with override_settings(REDIS_URL=""):
            layer_watch.follow(Socket())
            assert asyncio.get_running_loop() not in layer_watch._watches
        with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
            first, second = Socket(), Socket()
            layer_watch.follow(first)
            layer_watch.follow(second)
            watch = layer_watch._watches[asyncio.get_running_loop()]
            assert set(watch.sockets) == {first, second}
            watch.task.cancel()

    asyncio.run(go())


@pytest.mark.parametrize("restart", [True, False])
def test_the_watch_runs_by_itself(restart):
    async def go():
        server, watch, sockets = watched(1)
        watch.sockets.clear()
        watch.follow(sockets[0])
        await asyncio.sleep(0.05)
        if restart:
            server.run_id = "second"
        await asyncio.sleep(0.05)
        watch.task.cancel()
        return sockets[0].closed_with

    assert asyncio.run(go()) == (RESTARTED if restart else None)
