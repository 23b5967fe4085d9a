"""Fixtures shared by every test: ``world`` is revans.core.testing.World."""

import pytest

from revans.core.testing import World


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
