import asyncio
import contextlib
import time
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

# Values a receiver cannot change in place: a message made only of these is shared, not copied.
_IMMUTABLE = (str, bytes, int, float, bool, type(None))


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    """Channels' in-memory layer (one process: the default), made cheaper for the live room's
    fan-out (bench/room_fanout.py):

    - expired messages are cleaned out at most once a second: Channels cleans on every send and
      receive by walking every channel, a few milliseconds per event with a few thousand people
      in live rooms;
    - a group send puts the message on each member's queue directly, where Channels starts a
      task per member and waits for them all;
    - a message of plain values (a room event: its type and its text) gets a shallow copy for
      each member, not a deep one."""

    clean_interval = 1.0
    _last_clean = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_clean >= self.clean_interval:
            self._last_clean = now
            super()._clean_expired()

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._put(channel, _copy(message))

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        plain = all(isinstance(value, _IMMUTABLE) for value in message.values())
        for channel in list(self.groups.get(group, ())):
            # As Channels does: a full channel misses this message.
            with contextlib.suppress(ChannelFull):
                self._put(channel, dict(message) if plain else deepcopy(message))

    def _put(self, channel: str, message: dict) -> None:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        try:
            queue.put_nowait((time.time() + self.expiry, message))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None


def _copy(message: dict) -> dict:
    """What the sender keeps can change later without changing what was sent."""
    if all(isinstance(value, _IMMUTABLE) for value in message.values()):
        return dict(message)
    return deepcopy(message)
