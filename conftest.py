"""Fixtures shared by every test: ``world`` is revans.core.testing.World."""

import pytest

from revans.core.testing import World


@pytest.fixture
def world(db) -> World:
    return World()
