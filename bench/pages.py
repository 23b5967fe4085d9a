"""How the main pages cost as a programme grows, against the sign-in page measured in the same run.

    .venv/bin/python bench/pages.py [--sets 30] [--repeat 30]

Prints, for each page, the median time per request, its ratio to the sign-in page (the baseline:
a page with a form and no data), the number of queries, and, at the grown size, how the page's
time compares with its own at the demo's three sets (growth: 1.0 is a page that does not grow
with the programme). Ratios, not absolute times, are what to compare between machines. The first
row is the floor of every signed-in page: a form and no set content (the session and the person
read, the navigation drawn).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta

os.environ["REVANS_MODE"] = "demo"
os.environ["REVANS_DATA_DIR"] = tempfile.mkdtemp(prefix="revans-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "revans.settings"
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse
from django.utils import timezone

from revans.accounts.models import Organisation, User
from revans.actions.models import Action
from revans.evaluation.exports import report_pdf
from revans.evaluation.models import Answer, Response, Survey
from revans.evaluation.report import programme_report
from revans.meetings.models import Attendance, Meeting, MeetingFormat
from revans.programmes.models import Programme
from revans.sets.models import Issue, Membership, Role, Set
from revans.site.demo import load_demo


def one_hour_format() -> MeetingFormat:
    return MeetingFormat.objects.shipped().get(slug="one_hour")


def grow(programme: Programme, sets: int) -> None:
    """Adds sets of one facilitator and seven members, each member with an issue, each set
    with a year of meetings every six weeks (the past ones closed, with attendance, actions,
    and members' pulses and start surveys); gives Aurora a year of weekly meetings, half of
    them past with everyone's attendance."""
    organisation = Organisation.objects.first()
    people = User.objects.bulk_create(
        User(email=f"b{n}@bench.test", display_name=f"Person {n}", organisation=organisation)
        for n in range(sets * 8)
    )
    hour = one_hour_format()
    for number in range(sets):
        set_ = Set.objects.create(name=f"Bench {number}", programme=programme, place="Room")
        group = people[number * 8 : number * 8 + 8]
        Membership.objects.bulk_create(
            Membership(set=set_, user=p, role=Role.FACILITATOR if i == 0 else Role.MEMBER)
            for i, p in enumerate(group)
        )
        Issue.objects.bulk_create(Issue(set=set_, owner=p, title="An issue") for p in group[1:])
        held = Meeting.objects.bulk_create(
            Meeting(
                set=set_,
                number=k + 1,
                starts_at=timezone.now() + timedelta(weeks=6 * k - 26),
                time_zone="Europe/London",
                duration_minutes=60,
                format=hour,
                status="closed" if k < 4 else "scheduled",
            )
            for k in range(9)
        )[:4]
        Attendance.objects.bulk_create(
            Attendance(meeting=m, user=p, status="present" if (i + m.number) % 5 else "absent")
            for m in held
            for i, p in enumerate(group)
        )
        Action.objects.bulk_create(
            Action(
                set=set_,
                owner=p,
                text="An action",
                committed_in=m,
                status="done" if i % 2 else "committed",
            )
            for m in held
            for i, p in enumerate(group[1:4])
        )
        for m in held:
            responses = Response.objects.bulk_create(
                Response(user=p, set=set_, survey=Survey.PULSE, meeting=m) for p in group[1:]
            )
            Answer.objects.bulk_create(
                Answer(response=r, question=q, value=3 + (i + len(q)) % 3)
                for i, r in enumerate(responses)
                for q in ("useful", "voice")
            )
        starts = Response.objects.bulk_create(
            Response(user=p, set=set_, survey=Survey.START) for p in group[1:]
        )
        Answer.objects.bulk_create(
            Answer(response=r, question=q, value=2 + i % 3)
            for i, r in enumerate(starts)
            for q in ("aware", "confident", "initiative", "peer_support")
        )
    aurora = Set.objects.get(name="Aurora")
    one_hour = MeetingFormat.objects.shipped().get(slug="one_hour")
    start = timezone.now() - timedelta(weeks=26)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            set=aurora,
            number=100 + week,
            starts_at=start + timedelta(weeks=week),
            time_zone="Europe/London",
            duration_minutes=60,
            format=one_hour,
        )
        for week in range(52)
    )
    people = [m.user_id for m in aurora.memberships.all()]
    Attendance.objects.bulk_create(
        Attendance(meeting=m, user_id=u, status="present")
        for m in meetings
        if m.starts_at < timezone.now()
        for u in people
    )


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int]:
    """Median ms of the page and of the sign-in page, requested in turn so both share the noise."""
    baseline_client, baseline_url = Client(), reverse("account_login")
    client.get(url)  # warm caches and templates
    baseline_client.get(baseline_url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # now: the log is cleared when the next request starts
    assert response.status_code == 200, (url, response.status_code)
    page_times, baseline_times = [], []
    for _ in range(repeat):
        for times, who, where in (
            (page_times, client, url),
            (baseline_times, baseline_client, baseline_url),
        ):
            start = time.perf_counter()
            who.get(where)
            times.append(time.perf_counter() - start)
    return (
        statistics.median(page_times) * 1000,
        statistics.median(baseline_times) * 1000,
        query_count,
    )


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", type=int, default=30, help="sets to add to the programme")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    setup_test_environment()  # the test client's host, locmem e-mail
    # Keep one connection open, as a long-running server process does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    load_demo()
    programme = Programme.objects.get(name="Leading Change")
    aurora = Set.objects.get(name="Aurora")
    fran, pam = signed_in("fran@demo.revans.test"), signed_in("pam@demo.revans.test")
    fran_token = User.objects.get(email="fran@demo.revans.test").calendar_token
    pages = [
        ("signed in: new log form (fran)", fran, reverse("log_create")),
        ("dashboard (fran)", fran, reverse("dashboard")),
        ("set page (fran, Aurora)", fran, reverse("set_detail", args=[aurora.pk])),
        ("ground rules (fran)", fran, reverse("ground_rules", args=[aurora.pk])),
        ("programme page (pam)", pam, reverse("programme_detail", args=[programme.pk])),
        ("programme dashboard (pam)", pam, reverse("programme_dashboard", args=[programme.pk])),
        ("sets I facilitate (fran)", fran, reverse("facilitator_sets")),
        ("set figures (fran, Aurora)", fran, reverse("set_figures", args=[aurora.pk])),
        ("programme report PDF (pam)", pam, reverse("programme_report_pdf", args=[programme.pk])),
        ("calendar feed (fran)", Client(), reverse("calendar_feed", args=[fran_token])),
    ]
    rows = []
    for label in ("demo: 3 sets", f"grown: {3 + args.sets} sets"):
        if label.startswith("grown"):
            grow(programme, args.sets)
            cache.clear()  # the programme's figures are made again from the grown data
        for name, client, url in pages:
            ms, baseline, queries = measure(client, url, args.repeat)
            rows.append((label, name, ms, baseline, queries))
    small = {name: ms for label, name, ms, _, _ in rows if label.startswith("demo")}
    print(
        f"{'data':<16} {'page':<29} {'page ms':>8} {'sign-in ms':>11} {'ratio':>6} {'queries':>8}"
        f" {'growth':>7}"
    )
    for label, name, ms, baseline, queries in rows:
        growth = "" if label.startswith("demo") else f"{ms / small[name]:.2f}"
        print(
            f"{label:<16} {name:<29} {ms:>8.2f} {baseline:>11.2f} {ms / baseline:>6.2f}"
            f" {queries:>8} {growth:>7}"
        )

    # What the cache saves: the programme's figures and its PDF made afresh, which the first
    # manager to open the dashboard after REVANS_EVIDENCE_SECONDS (or "Make them again") waits for.
    made, written = [], []
    for _ in range(3):
        start = time.perf_counter()
        report = programme_report(programme)
        made.append(time.perf_counter() - start)
        start = time.perf_counter()
        report_pdf(report)
        written.append(time.perf_counter() - start)
    print(
        f"figures made afresh at {3 + args.sets} sets: {statistics.median(made) * 1000:.0f} ms; "
        f"its PDF written: {statistics.median(written) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
