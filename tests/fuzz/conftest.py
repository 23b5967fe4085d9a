"""The fuzzers share the world the access table uses: made once for a module, each test in a
savepoint rolled back after it (src/revans/core/tests/conftest.py)."""

from revans.core.tests.conftest import _world_for_the_module, world_made_once  # noqa: F401
