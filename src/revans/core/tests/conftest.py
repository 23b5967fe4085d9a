"""The world made once for a module of many small requests (the access table, the bad-input
checks): a module asks for it with ``world = world_made_once``-style fixtures of its own."""

import pytest
from django.db import transaction

from revans.site.testing import World


@pytest.fixture(scope="module")
def _world_for_the_module(django_db_setup, django_db_blocker):
    """A World made once, inside a transaction each test's own (a savepoint, as Django's
    ``setUpTestData``) rolls back to, and rolled back itself when the module is done. Only for
    tests that change the world through requests, never through its Python objects: building
    it for each of the access table's cases was half the module's time."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield World()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world_made_once(_world_for_the_module, db) -> World:
    return _world_for_the_module
