"""What the fuzzers share: Hypothesis's profile for them, a savepoint per example, and every
row of every table to compare before and after."""

import os
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, settings

settings.register_profile(
    "revans-fuzz",
    # A few examples for each form and command in every run (REVANS_FUZZ_EXAMPLES=200 for a
    # long hunt); the same ones every time, so a failure in CI is a failure on any machine.
    max_examples=int(os.environ.get("REVANS_FUZZ_EXAMPLES", "8")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls itself back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FUZZ = settings.get_profile("revans-fuzz")


@contextmanager
def rolled_back():
    """A savepoint undone at the end: every example starts from the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def tables(skip: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Every row of every table but ``skip`` and the sessions, as text (a few hundred rows in
    the tests' world: about a millisecond)."""
    quote = connection.ops.quote_name
    seen = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if not model._meta.managed or model._meta.proxy:
                continue
            if table == "django_session" or table in skip:
                continue
            cursor.execute(f"SELECT * FROM {quote(table)}")
            seen[table] = sorted(repr(row) for row in cursor.fetchall())
    return seen


def changed(before: dict, after: dict) -> dict:
    """The tables that differ, with a few of the rows gone and new."""
    return {
        table: {
            "gone": sorted(set(before[table]) - set(after[table]))[:3],
            "new": sorted(set(after[table]) - set(before[table]))[:3],
        }
        for table in before
        if before[table] != after[table]
    }
