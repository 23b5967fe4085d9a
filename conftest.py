"""Fixtures shared by every test: ``world`` is revans.site.testing.World."""

import pytest

from revans.site.testing import World


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture(autouse=True, scope="session")
def _uploads_in_a_temporary_folder(tmp_path_factory):
    """Files the tests upload (learning log attachments) never land in the data folder."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


def pytest_sessionfinish(session, exitstatus):
    """The test database is a file per run (settings.py); its WAL and shared-memory files
    outlive it, so they go with the run."""
    import os

    from django.conf import settings

    if not settings.configured or not hasattr(settings, "DATA_DIR"):
        return
    for leftover in settings.DATA_DIR.glob(f"test-revans-{os.getpid()}.sqlite3*"):
        leftover.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _a_channel_layer_per_test(request):
    """Each test gets its own channel layer. The Redis layer keeps asyncio locks that bind to
    the first event loop that waits on them, and every ``async_to_sync`` call runs a new loop:
    a layer kept from an earlier test fails with "bound to a different event loop". The
    browser tests keep theirs: their server runs for the whole session."""
    if "browser" not in request.keywords:
        from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers

        channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
    yield


@pytest.fixture
def facilitators(world):
    """A facilitators' programme beside the world: revans.site.testing.Facilitators."""
    from revans.site.testing import Facilitators

    return Facilitators(world)
