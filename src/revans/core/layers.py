import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    """Channels' in-memory layer (one process: the default), cleaning out expired messages at
    most once a second. Channels cleans on every send and receive by walking every channel,
    which costs more with each open socket: a few milliseconds per event with a few thousand
    people in live rooms (bench/room_fanout.py)."""

    clean_interval = 1.0
    _last_clean = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_clean >= self.clean_interval:
            self._last_clean = now
            super()._clean_expired()
