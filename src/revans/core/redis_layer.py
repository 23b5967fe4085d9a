"""Channels' Redis layer (several server processes), with a connection pool that waits.

channels-redis opens one pool per event loop and takes a connection from it for every command.
redis-py (5 and later) bounds a pool at 100 connections by default and *raises*
``MaxConnectionsError`` past that: when the 400 room sockets of one worker closed at once (Redis
restarted, or every client leaving together), their 800 ``group_discard`` calls ran at once and
600 of them failed with a traceback each, leaving those channels in the rooms' groups for a day
(bench/faults.py, restart-redis); a crowd joining at once could fail to join the same way. A blocking pool
holds a command until a connection is free instead: the crowd is served a little later, and
none is refused."""

from typing import Any

import redis.asyncio
from channels_redis.core import RedisChannelLayer as ChannelsRedisChannelLayer

# Connections per server process (and event loop); commands beyond wait their turn, up to
# POOL_WAIT seconds, longer than any burst of joins and leaves measured.
POOL_SIZE = 100
POOL_WAIT = 30.0


class RedisChannelLayer(ChannelsRedisChannelLayer):
    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        address = host.pop("address")
        return redis.asyncio.BlockingConnectionPool.from_url(
            address, max_connections=POOL_SIZE, timeout=POOL_WAIT, **host
        )
