"""The compiled loops of the search (grouping/kernel.py) are compiled, or loaded from numba's
cache, once per test process before the tests that need them: compile_all lets one process
compile while the others wait and then load its cache, instead of each compiling the same
functions at once, and no timed test spends its time compiling."""

import pytest


@pytest.fixture(scope="session")
def compiled() -> None:
    from revans.grouping.kernel import compile_all

    compile_all()
