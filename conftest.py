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
