"""Sockets that listen on channel-layer groups, kept honest when Redis fails under them.

With REDIS_URL the channel layer keeps every group (a live room, a person's sockets) in Redis. A
Redis restarted empty forgets them all: the sockets stay open and hear nothing more, and the
room's events sent while it was away never arrived. Nothing in Channels notices (only the one
socket whose read was waiting on Redis at that moment fails). So each server process watches
the Redis it uses: every ``WATCH_SECONDS`` it asks for the server's ``run_id``, which changes at
every restart. When Redis answers as another server, or did not answer twice running (a
single slow answer from a busy process is not an outage), every socket that follows the watch
is closed with ``RESTARTED`` (1012, "service restart"): the room's page says
it is reconnecting, reconnects, joins its groups again and catches up from the last event it
holds with ``hello`` (bench/faults.py, restart-redis). Without REDIS_URL (one process, the
in-memory layer) there is nothing to watch."""

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from django.conf import settings

WATCH_SECONDS = 2.0
PROBE_SECONDS = 10.0  # an answer slower than this counts as none
FAILURES = 2  # probes in a row without an answer: Redis is unreachable
RESTARTED = 1012  # the WebSocket close code for "service restart": clients reconnect

logger = logging.getLogger(__name__)


class Closable(Protocol):
    async def close(self, code: Any = None, reason: Any = None) -> None: ...


Probe = Callable[[], Awaitable[str]]


class Watch:
    """The sockets of this process that live on the channel layer's groups, and the server
    they were made on."""

    def __init__(self, probe: Probe, every: float = WATCH_SECONDS) -> None:
        self.probe, self.every = probe, every
        self.sockets: weakref.WeakSet[Closable] = weakref.WeakSet()
        self.server: str | None = None  # the run_id last seen
        self.failures = 0  # probes in a row without an answer
        self.task: asyncio.Task[None] | None = None

    def follow(self, socket: Closable) -> None:
        """Closes ``socket`` if the layer's server fails or restarts while it is open."""
        self.sockets.add(socket)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run())

    async def run(self) -> None:
        while True:
            await self.check()
            await asyncio.sleep(self.every)

    async def check(self) -> bool:
        """One look at the server; closes the sockets when their groups may be gone. Returns
        whether it closed them."""
        try:
            server = await asyncio.wait_for(self.probe(), PROBE_SECONDS)
        except Exception as error:  # unreachable, refused, timed out: anything but an answer
            self.failures += 1
            if self.failures != FAILURES:  # once per outage, when it is sure
                return False
            logger.warning("channel layer unreachable (%r): room sockets reconnect", error)
            return await self.reconnect()
        lost = self.failures >= FAILURES or (self.server is not None and server != self.server)
        self.server, self.failures = server, 0
        if lost:
            logger.warning("channel layer back (run_id %s): room sockets reconnect", server)
            return await self.reconnect()
        return False

    async def reconnect(self) -> bool:
        sockets = list(self.sockets)
        self.sockets.clear()
        for socket in sockets:
            with contextlib.suppress(Exception):
                await socket.close(code=RESTARTED)
        return bool(sockets)


def redis_probe(url: str) -> Probe:
    """The ``run_id`` of the Redis at ``url``, through a connection of the watch's own."""
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)

    async def probe() -> str:
        return str((await client.info("server"))["run_id"])

    return probe


# One watch per event loop (a server process has one; the test suite's live servers each their
# own), each with its own Redis connection, which belongs to the loop that made it.
_watches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Watch] = weakref.WeakKeyDictionary()


def follow(socket: Closable) -> None:
    """Called by a consumer once it has joined its groups and accepted its socket."""
    if not settings.REDIS_URL:
        return
    loop = asyncio.get_running_loop()
    watch = _watches.get(loop)
    if watch is None:
        watch = _watches[loop] = Watch(redis_probe(settings.REDIS_URL))
    watch.follow(socket)
