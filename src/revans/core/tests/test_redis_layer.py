"""The Redis channel layer as settings.py configures it, against a real Redis (REDIS_URL; the
test skips without one): a crowd of room sockets joining and leaving at once (Redis restarted,
a proxy reloaded, a worker's sockets moving to another) is served, never refused. It runs when
REDIS_URL names a Redis (.ci/run's PostgreSQL and Redis run)."""

import asyncio
import secrets

import pytest
from channels.layers import channel_layers
from django.conf import settings
from django.test import override_settings

CROWD = 400  # one worker's share of 100 rooms of 8


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping())
    except (redis.RedisError, OSError, ValueError):
        return False


def test_hundreds_of_sockets_join_and_leave_their_groups_at_once():
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the in-memory layer")
    if not redis_answers():
        pytest.skip(f"Redis does not answer at {settings.REDIS_URL}")
    configured = settings.CHANNEL_LAYERS["default"]
    layers = {
        "default": {
            **configured,
            "CONFIG": {**configured["CONFIG"], "prefix": f"revans-test-{secrets.token_hex(4)}"},
        }
    }

    async def crowd():
        layer = channel_layers["default"]
        channels = [await layer.new_channel() for _ in range(CROWD)]
        groups = [f"room-{n % 50}" for n in range(CROWD)]
        try:
            await asyncio.gather(
                *(layer.group_add(g, c) for g, c in zip(groups, channels, strict=True))
            )
            await asyncio.gather(
                *(layer.group_discard(g, c) for g, c in zip(groups, channels, strict=True))
            )
        finally:
            await layer.flush()
            await layer.close_pools()

    with override_settings(CHANNEL_LAYERS=layers):
        channel_layers.backends.clear()
        try:
            asyncio.run(crowd())
        finally:
            channel_layers.backends.clear()
