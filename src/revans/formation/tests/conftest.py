"""Cohorts for the formation tests: cohort files made in the test, cohorts imported as a
programme manager imports them, and formation runs executed in the test itself."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from revans.formation import imports, runs
from revans.formation.models import Cohort, FormationRun
from revans.grouping.cohort_file import COLUMNS
from revans.grouping.sample import generate

HEADER = list(COLUMNS)


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def generated_rows(people: int = 21, seed: int = 1) -> list[list[str]]:
    """A realistic cohort file's rows (header first), with manager and keep-apart pairs.

    Everyone is also free on Thursday afternoons: seven people with 2–4 slots each seldom
    share one, and these small cohorts are for testing the pages, not the search."""
    rows = [
        list(row)  # generate's header row is its module's list: never change that one
        for row in generate(
            people,
            organisations=max(3, people // 3),
            managers=2,
            apart=2,
            seed=seed,
            realistic=True,
        )
    ]
    k = rows[0].index("availability")
    for row in rows[1:]:
        row[k] = f"{row[k]};thu pm"
    return rows


def import_cohort(programme, user, rows, name: str = "cohort.csv", **settings) -> Cohort:
    """Import ``rows`` as the programme's cohort, as the confirm view does."""
    preview = imports.preview_import(csv_bytes(rows), name)
    assert preview.ok, preview.errors
    cohort = imports.do_import(programme, preview, user)
    settings.setdefault("seconds", 1)
    for field, value in settings.items():
        setattr(cohort, field, value)
    cohort.save()
    return cohort


def form_sets(cohort: Cohort, user, seed: int | None = None, quick: bool = False) -> FormationRun:
    """Start a run and execute it here (no thread), as the background worker would; ``quick``
    keeps the first proposal that holds every rule instead of searching for a second."""
    run = runs.start_run(cohort, user, seed=seed)
    if quick:
        FormationRun.objects.filter(pk=run.pk).update(seconds=0)
    runs.execute_run(run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture(autouse=True)
def launched(monkeypatch) -> list[int]:
    """Runs never start a thread in a test: the test executes them with execute_run, which
    must not close the connection holding the test's transaction either."""
    started: list[int] = []
    monkeypatch.setattr(runs, "launch", started.append)
    monkeypatch.setattr(runs, "close_old_connections", lambda: None)
    return started


@pytest.fixture
def cohort(world) -> Cohort:
    """21 people of Leading Change, imported by pam, not yet formed into sets."""
    return import_cohort(world.programme, world.pam, generated_rows(21))


@pytest.fixture
def formed(world, cohort) -> Cohort:
    """The same cohort formed into three sets of seven, every rule held."""
    run = form_sets(cohort, world.pam, quick=True)
    assert run.status == FormationRun.Status.DONE, run.problems
    return cohort
