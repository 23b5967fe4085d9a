"""The programme dashboard, the sponsor's reports (PDF, CSV, XLSX) and the facilitator's
views: every figure against known data, the n ≥ 5 rule on every page and file, the roles
refused, and no set content in anything a manager can open."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from revans.actions.models import Action
from revans.evaluation.models import Survey
from revans.meetings.models import Attendance, Meeting, MeetingFormat, Question
from revans.sets.models import Set

from .conftest import add_members, answer

SECRET_ISSUE = "Two teams that will not merge"
SECRET_ACTION = "Ring the rota office about Ward 7"
SECRET_QUESTION = "What would the night staff say about Ward 7?"
SECRET_COMMENT = "I am thinking of leaving"


def meeting(set_, number, weeks_ago, status="closed"):
    return Meeting.objects.create(
        set=set_,
        number=number,
        starts_at=timezone.now() - timedelta(weeks=weeks_ago),
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
        status=status,
    )


@pytest.fixture
def programme_data(world):
    """Aurora: mo and five more members, two meetings held (6 and 5 of 6 present), one planned;
    three actions (one done); start and end surveys from the five; pulses from five."""
    five = add_members(world.aurora, 5)
    people = [world.mo_in_aurora, *five]
    m1 = meeting(world.aurora, 1, 4)
    m2 = meeting(world.aurora, 2, 2)
    meeting(world.aurora, 3, -2, "scheduled")
    for m, present in ((m1, 6), (m2, 5)):
        for i, membership in enumerate(people):
            Attendance.objects.create(
                meeting=m, user=membership.user, status="present" if i < present else "absent"
            )
    Action.objects.create(
        set=world.aurora,
        owner=world.mo,
        text=SECRET_ACTION,
        committed_in=m1,
        status="done",
        reported_in=m2,
    )
    Action.objects.create(
        set=world.aurora,
        owner=world.mo,
        text="x",
        committed_in=m1,
        status="not_done",
        reported_in=m2,
    )
    Action.objects.create(set=world.aurora, owner=five[0].user, text="y", committed_in=m2)
    Question.objects.create(
        meeting=m1, presenter=five[1].user, asker=world.mo, text=SECRET_QUESTION, label="open"
    )
    for i, membership in enumerate(five):
        answer(
            membership,
            Survey.START,
            {"confident": 2, "aware": 3},
        )
        answer(
            membership,
            Survey.END,
            {"confident": 4, "aware": 3, "recommend": 5, "value_most": f"Theme {i}"},
            share=i < 2,
        )
        answer(membership, Survey.PULSE, {"useful": 4 if i else 2, "voice": 5}, meeting=m1)
    # A private comment: only its author ever sees it.
    first = five[0].user.survey_responses.get(survey=Survey.START)
    first.comment = SECRET_COMMENT
    first.save()
    return world


def dashboard(world, who):
    return world.client(who).get(reverse("programme_dashboard", args=[world.programme.pk]))


@pytest.mark.django_db
def test_the_dashboard_shows_the_figures(programme_data):
    world = programme_data
    response = dashboard(world, world.pam)
    assert response.status_code == 200
    report = response.context["report"]
    d = report.delivery
    assert (d.meetings_held, d.meetings_planned, d.meetings_missed) == (2, 1, 0)
    assert d.members == 7  # Aurora's six, Beacon's one
    assert round(d.attendance_rate * 100) == 92  # 11 of 12
    assert (d.actions_committed, d.actions_completed) == (3, 1)
    change = {c.question.key: c for c in report.figures.change}
    assert (change["confident"].start_mean, change["confident"].end_mean) == (2, 4)
    assert change["confident"].change == 2
    assert change["confident"].answered_both == 5
    assert report.recommend.mean == 5
    assert report.figures.themes.shared == ("Theme 0", "Theme 1")
    page = response.content.decode()
    assert "92%" in page
    assert "+2.0" in page
    assert "Theme 0" in page and "Theme 4" not in page  # only the shared themes
    for secret in (SECRET_ISSUE, SECRET_ACTION, SECRET_QUESTION, SECRET_COMMENT):
        assert secret not in page
    assert response.context["charts"]["meetings"]["series"][0]["values"] == [
        m.held for m in d.months
    ]


@pytest.mark.django_db
def test_survey_figures_are_withheld_at_four_and_shown_at_five(world):
    four = add_members(world.aurora, 4)
    for membership in four:
        answer(membership, Survey.START, {"confident": 2})
        answer(membership, Survey.END, {"confident": 4})
    page = dashboard(world, world.pam).content.decode()
    assert "fewer than 5 answered" in page
    assert "+2.0" not in page
    fifth = add_members(world.aurora, 1, prefix="fifth")[0]
    answer(fifth, Survey.START, {"confident": 2})
    answer(fifth, Survey.END, {"confident": 4})
    page = dashboard(world, world.pam).content.decode()
    assert "+2.0" in page


@pytest.mark.django_db
def test_slipping_sets_are_named_with_their_reasons(world):
    meeting(world.aurora, 1, 3, "cancelled")
    response = dashboard(world, world.pam)
    assert [s.name for s in response.context["delivery"].slipping] == ["Aurora"]
    assert "Missed 1 of its last 1 meeting" in response.content.decode()


@pytest.mark.django_db
def test_an_empty_programme_has_a_dashboard_and_reports(world):
    Set.objects.all().delete()
    client = world.client(world.pam)
    response = dashboard(world, world.pam)
    assert response.status_code == 200
    assert "No sets yet" in response.content.decode()
    for name in ("programme_report_pdf", "programme_report_csv", "programme_report_xlsx"):
        assert client.get(reverse(name, args=[world.programme.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["fran", "mo", "obi", "nia", "gus"])
@pytest.mark.parametrize(
    "name",
    [
        "programme_dashboard",
        "programme_report_pdf",
        "programme_report_csv",
        "programme_report_xlsx",
    ],
)
def test_only_the_programme_managers_open_the_dashboard_and_reports(world, who, name):
    response = world.client(getattr(world, who)).get(reverse(name, args=[world.programme.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_missing_programme_is_a_404(world):
    response = world.client(world.pam).get(reverse("programme_dashboard", args=[9999]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_sets_table_is_paged(world, django_assert_max_num_queries):
    for n in range(25):
        Set.objects.create(name=f"Set {n:02}", programme=world.programme, status="active")
    client = world.client(world.pam)
    url = reverse("programme_dashboard", args=[world.programme.pk])
    first = client.get(url)
    assert len(first.context["page"].object_list) == 20
    second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == 7
    assert client.get(url, {"page": "x"}).status_code == 200  # a bad page is the first


@pytest.mark.django_db
def test_the_dashboard_queries_do_not_grow_with_the_sets(world, django_assert_num_queries):
    client = world.client(world.pam)
    url = reverse("programme_dashboard", args=[world.programme.pk])
    client.get(url)

    def grow(n):
        for _ in range(n):
            s = Set.objects.create(name=f"G{Set.objects.count()}", programme=world.programme)
            m = meeting(s, 1, 1)
            Attendance.objects.create(meeting=m, user=world.mo, status="present")

    grow(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    grow(15)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_csv_has_every_table_and_no_content(programme_data):
    world = programme_data
    response = world.client(world.pam).get(
        reverse("programme_report_csv", args=[world.programme.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Meetings held", "2"] in rows
    assert ["Attendance (%)", "92"] in rows
    sets_at = rows.index(["Sets"])
    aurora = rows[sets_at + 2]
    assert aurora[:7] == ["Aurora", "Active", "6", "2", "1", "0", "92"]
    assert ["Start survey", "x"] not in rows
    for secret in (SECRET_ISSUE, SECRET_ACTION, SECRET_QUESTION, SECRET_COMMENT):
        assert secret not in text


@pytest.mark.django_db
def test_the_xlsx_has_a_sheet_per_table_with_the_same_figures(programme_data):
    world = programme_data
    response = world.client(world.pam).get(
        reverse("programme_report_xlsx", args=[world.programme.pk])
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["About", "Summary", "Sets"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Meetings held"] == 2
    assert summary["Attendance (%)"] == 92
    change = list(book["Start to end"].iter_rows(min_row=2, values_only=True))
    confident = next(
        r for r in change if r[0].startswith("I feel confident") or "confident" in r[0].lower()
    )
    assert confident[3] == 2 and confident[4] == 5
    cells = " ".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
    )
    for secret in (SECRET_ISSUE, SECRET_ACTION, SECRET_QUESTION, SECRET_COMMENT):
        assert secret not in cells


@pytest.mark.django_db
def test_the_pdf_states_the_figures_method_and_rule(programme_data):
    world = programme_data
    response = world.client(world.pam).get(
        reverse("programme_report_pdf", args=[world.programme.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Leading Change" in text
    assert "Meetings held" in text
    assert "fewer than 5 people is withheld" in text
    assert "Aurora" in text
    assert "+2.0" in text
    for secret in (SECRET_ISSUE, SECRET_ACTION, SECRET_QUESTION, SECRET_COMMENT):
        assert secret not in text


@pytest.mark.django_db
def test_the_report_of_a_programme_with_unicode_names(world):
    world.programme.name = "Łódź — 領導力 programme"
    world.programme.save()
    response = world.client(world.pam).get(
        reverse("programme_report_pdf", args=[world.programme.pk])
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Łódź" in text


# The facilitator's views


@pytest.mark.django_db
def test_the_facilitator_sees_their_sets_across_programmes(programme_data):
    world = programme_data
    from revans.programmes.models import Programme
    from revans.sets.models import Membership, Role

    other = Programme.objects.create(
        name="Health Leaders", sponsor=world.trust, starts_on="2026-01-01", ends_on="2026-12-31"
    )
    elsewhere = Set.objects.create(name="Cedar", programme=other, status="active")
    Membership.objects.create(set=elsewhere, user=world.fran, role=Role.FACILITATOR)
    own = Set.objects.create(name="Willow", status="active")
    Membership.objects.create(set=own, user=world.fran, role=Role.FACILITATOR)
    response = world.client(world.fran).get(reverse("facilitator_sets"))
    page = response.content.decode()
    assert response.status_code == 200
    assert all(name in page for name in ("Aurora", "Cedar", "Willow", "Health Leaders"))
    assert "Beacon" not in page  # gus facilitates it, not fran
    assert SECRET_ACTION not in page


@pytest.mark.django_db
def test_someone_who_facilitates_nothing_sees_an_empty_list(world):
    response = world.client(world.nia).get(reverse("facilitator_sets"))
    assert response.status_code == 200
    assert "do not facilitate a set yet" in response.content.decode()


@pytest.mark.django_db
def test_the_facilitators_set_figures(programme_data):
    world = programme_data
    response = world.client(world.fran).get(reverse("set_figures", args=[world.aurora.pk]))
    assert response.status_code == 200
    records = {r.name: r for r in response.context["records"]}
    mo = records[world.mo.display_name]
    assert mo.attendance == ["present", "present"]
    assert (mo.committed, mo.done, mo.not_done, mo.open) == (2, 1, 1, 0)
    assert [p.meeting.number for p in response.context["mix_points"]] == [1]
    point = response.context["figures"].pulse_over_time[0]
    assert point.figures[0].answered == 5
    page = response.content.decode()
    assert SECRET_COMMENT not in page and SECRET_ACTION not in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["mo", "obi", "pam", "nia", "gus"])
def test_only_the_sets_facilitators_see_its_figures(world, who):
    response = world.client(getattr(world, who)).get(reverse("set_figures", args=[world.aurora.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_set_figures_need_a_sign_in(world):
    response = world.client(None).get(reverse("set_figures", args=[world.aurora.pk]))
    assert response.status_code == 302


# Figures kept for EVIDENCE_SECONDS (the tests compute them for every request otherwise)


@pytest.fixture
def kept(settings):
    from django.core.cache import cache

    settings.EVIDENCE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_figures_are_kept_and_made_again_on_request(world, kept):
    client = world.client(world.pam)
    url = reverse("programme_dashboard", args=[world.programme.pk])
    first = client.get(url).context["report"]
    meeting(world.aurora, 1, 1, "cancelled")
    kept_report = client.get(url).context["report"]
    assert kept_report.made_at == first.made_at
    assert kept_report.delivery.meetings_missed == 0
    # Every file says what the dashboard says.
    csv_text = client.get(reverse("programme_report_csv", args=[world.programme.pk])).content
    assert "Meetings missed,0" in csv_text.decode("utf-8-sig")

    response = client.post(reverse("programme_dashboard_refresh", args=[world.programme.pk]))
    assert response.status_code == 302
    fresh = client.get(url).context["report"]
    assert fresh.made_at > first.made_at
    assert fresh.delivery.meetings_missed == 1
    csv_text = client.get(reverse("programme_report_csv", args=[world.programme.pk])).content
    assert "Meetings missed,1" in csv_text.decode("utf-8-sig")


@pytest.mark.django_db
def test_a_kept_report_shows_the_programme_as_it_is_now(world, kept):
    client = world.client(world.pam)
    url = reverse("programme_dashboard", args=[world.programme.pk])
    client.get(url)
    world.programme.name = "Leading Change 2027"
    world.programme.save()
    assert "Leading Change 2027" in client.get(url).content.decode()


@pytest.mark.django_db
def test_kept_figures_are_still_only_for_managers(world, kept):
    world.client(world.pam).get(reverse("programme_dashboard", args=[world.programme.pk]))
    world.programme.managers.remove(world.pam)
    for name in ("programme_dashboard", "programme_report_pdf", "programme_report_csv"):
        response = world.client(world.pam).get(reverse(name, args=[world.programme.pk]))
        assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["fran", "mo", "nia"])
def test_only_managers_make_the_figures_again(world, who):
    url = reverse("programme_dashboard_refresh", args=[world.programme.pk])
    assert world.client(getattr(world, who)).post(url).status_code == 404
    assert world.client(world.pam).get(url).status_code == 405


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_reads_every_figure_in_one_transaction(world, monkeypatch):
    """An export made while meetings close or answers arrive still adds up: every read of the
    report happens inside one transaction (one snapshot; repeatable read on PostgreSQL)."""
    from django.db import connection

    from revans.evaluation import report

    seen = []

    def watched(name):
        original = getattr(report, name)

        def call(*args, **kwargs):
            seen.append((name, connection.in_atomic_block))
            return original(*args, **kwargs)

        monkeypatch.setattr(report, name, call)

    watched("delivery_of")
    watched("programme_figures_and_set_pulses")
    report.programme_report(world.programme)
    assert seen == [("delivery_of", True), ("programme_figures_and_set_pulses", True)]
    assert not connection.in_atomic_block
