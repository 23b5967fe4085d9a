"""Forming sets in Revans with the demo's 400-person cohort: the import, a run through the web
path, and the review pages, against the sign-in page measured in the same run.

    .venv/bin/python bench/formation.py [--seconds 10] [--repeat 10]

Prints one line per step: the import of the cohort file (check and save), the run as the
background task does it (is every rule held?), then the
median time of each review page and of a move by hand (the board scored again), each with its
ratio to the sign-in page (a page with a form and no data) and its number of queries.
"""

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time

os.environ["REVANS_MODE"] = "demo"
os.environ["REVANS_DATA_DIR"] = tempfile.mkdtemp(prefix="revans-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "revans.settings"
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from revans.accounts.models import User
from revans.formation import imports, runs
from revans.formation.board import board_for
from revans.formation.models import Cohort, FormationRun
from revans.grouping.sample import generate
from revans.site.demo import COHORT_PROGRAMME, load_demo


def timed(client: Client, method: str, url: str, repeat: int, data=None, **headers):
    """Median ms of the request and of the sign-in page, in turn so both share the noise."""
    baseline, baseline_url = Client(), reverse("account_login")
    send = getattr(client, method)
    send(url, data, **headers)
    baseline.get(baseline_url)
    with CaptureQueriesContext(connection) as queries:
        response = send(url, data, **headers)
    query_count = len(queries)  # now: the log is cleared when the next request starts
    assert response.status_code in (200, 302), (url, response.status_code)
    ours, base = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        send(url, data, **headers)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        baseline.get(baseline_url)
        base.append(time.perf_counter() - start)
    return statistics.median(ours) * 1000, statistics.median(base) * 1000, query_count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    setup_test_environment()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    load_demo()
    cohort = Cohort.objects.get(programme__name=COHORT_PROGRAMME)
    programme, pam = cohort.programme, User.objects.get(email="pam@demo.revans.test")

    out = io.StringIO()
    csv.writer(out).writerows(generate(realistic=True))
    data = out.getvalue().encode()
    started = time.perf_counter()
    preview = imports.preview_import(data, "cohort.csv")
    checked = time.perf_counter() - started
    cohort = imports.do_import(programme, preview, pam)
    saved = time.perf_counter() - started - checked
    print(
        f"import of {len(preview.people)} people, {preview.organisation_count} organisations: "
        f"checked in {checked * 1000:.0f} ms, saved in {saved * 1000:.0f} ms"
    )

    cohort.seconds = args.seconds
    cohort.save()
    run = FormationRun.objects.create(cohort=cohort, seconds=args.seconds)
    started = time.perf_counter()
    status = runs.execute_run(run.pk)
    total = time.perf_counter() - started
    board = board_for(cohort)
    print(
        f"run ({args.seconds} s): {status}, {len(board.sets)} sets, "
        f"{len(board.rules) - len(board.broken)} of {len(board.rules)} rules held, "
        f"finished after {total:.2f} s; "
        f"diversity per pair {board.per_pair:.3f} (cohort {board.cohort_per_pair:.3f})"
    )

    client = Client()
    client.force_login(pam)
    people = list(cohort.participants.order_by("row").values_list("pk", flat=True)[:1])
    second_set = cohort.proposed_sets.all()[1]
    steps = [
        ("proposal page", "get", reverse("cohort", args=[programme.pk]), None, {}),
        ("pairs page", "get", reverse("cohort_pairs", args=[programme.pk]), None, {}),
        (
            "move by hand (htmx)",
            "post",
            reverse("cohort_move", args=[programme.pk]),
            {"person": people, "to": second_set.pk},
            {"HTTP_HX_REQUEST": "true"},
        ),
    ]
    print(f"{'step':<22} {'ms':>8} {'sign-in ms':>11} {'ratio':>6} {'queries':>8}")
    for name, method, url, data_, headers in steps:
        ms, base, queries = timed(client, method, url, args.repeat, data_, **headers)
        print(f"{name:<22} {ms:>8.1f} {base:>11.2f} {ms / base:>6.1f} {queries:>8}")


if __name__ == "__main__":
    sys.exit(main())
