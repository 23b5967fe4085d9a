"""The demo's second running programme, "Merseyvale Council Leadership": a year of meetings,
surveys and pulses with realistic shapes, one set slipping, and Fran facilitating in two
programmes. Dates are relative to today, so the tests check shapes, never exact dates."""

from datetime import timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.accounts.models import User
from revans.actions.models import Action
from revans.evaluation.figures import figures_by_set
from revans.evaluation.models import Answer, Response, Survey
from revans.meetings.models import Attendance, Meeting, Question, Room
from revans.programmes.models import Programme
from revans.programmes.presets import COUNCIL_LEADERSHIP
from revans.sets.models import Issue, Membership, Role, Set
from revans.site.demo import load_demo
from revans.site.demo_programme import programme_name

MODELS = (
    User,
    Programme,
    Set,
    Membership,
    Issue,
    Meeting,
    Attendance,
    Room,
    Question,
    Action,
    Response,
    Answer,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def answers_signature() -> list[tuple]:
    """Every answer with who gave it, in which set and survey: what a second load must keep."""
    return sorted(
        Answer.objects.values_list(
            "response__user__email",
            "response__set__name",
            "response__survey",
            "response__meeting__number",
            "question",
            "value",
            "text",
        )
    )


@pytest.fixture
def demo(db) -> Programme:
    load_demo(cohort=False)
    return Programme.objects.get(name=programme_name())


def test_loading_the_demo_twice_changes_nothing(demo):
    first, answers = counts(), answers_signature()
    load_demo(cohort=False)
    assert counts() == first
    assert answers_signature() == answers


def test_the_programme_is_made_from_the_council_leadership_template_about_ten_months_ago(demo):
    assert demo.template == COUNCIL_LEADERSHIP.key
    assert demo.cadence_weeks == 6 and demo.meeting_minutes == 240
    assert demo.facilitated_meetings == 6
    assert demo.sponsor.name == "Merseyvale Borough Council"
    assert demo.managers.filter(email="pam@demo.revans.test").exists()
    started = timezone.localdate() - demo.starts_on
    assert timedelta(days=270) <= started <= timedelta(days=345)
    sets = list(demo.sets.all())
    assert 4 <= len(sets) <= 5
    for set_ in sets:
        members = set_.memberships.filter(role=Role.MEMBER).count()
        assert 6 <= members <= 8, set_.name
        meetings = list(set_.meetings.order_by("starts_at"))
        days = [timezone.localtime(m.starts_at, ZoneInfo(m.time_zone)).date() for m in meetings]
        assert all(b - a == timedelta(weeks=6) for a, b in pairwise(days))
        assert all(day.weekday() < 5 for day in days)
        assert [m.facilitated for m in meetings][:6] == [True] * 6
        assert not any(m.facilitated for m in meetings[6:])


def test_past_meetings_are_closed_with_attendance_questions_and_actions_reported(demo):
    held = Meeting.objects.filter(set__programme=demo, status=Meeting.Status.CLOSED)
    assert held.count() >= 30
    assert not held.filter(starts_at__gt=timezone.now()).exists()
    assert not Meeting.objects.filter(
        set__programme=demo, status=Meeting.Status.SCHEDULED, starts_at__lt=timezone.now()
    ).exists()
    for meeting in held:
        assert meeting.attendance.count() >= 6
        assert meeting.summary and meeting.summary["meeting"] == meeting.number
    questions = Question.objects.filter(meeting__set__programme=demo)
    labels = set(questions.values_list("label", flat=True))
    assert {"open", "advice"} <= labels and "" not in labels
    assert questions.filter(label="open").count() > questions.count() / 2

    def open_share(numbers: list[int]) -> float:
        asked = questions.filter(meeting__number__in=numbers)
        return asked.filter(label="open").count() / asked.count()

    # Sets learn to ask open questions over the year.
    assert open_share([1, 2]) + 0.15 < open_share([6, 7, 8])
    reported = set(
        Action.objects.filter(set__programme=demo).values_list("status", flat=True).distinct()
    )
    assert {"done", "partly", "not_done", "committed"} <= reported


def test_pam_sees_a_slipping_set_meetings_held_and_the_benefits_rising(demo, client):
    pam = User.objects.get(email="pam@demo.revans.test")
    client.force_login(pam)
    response = client.get(reverse("programme_dashboard", args=[demo.pk]))
    assert response.status_code == 200
    report = response.context["report"]
    delivery = report.delivery

    assert [line.name for line in delivery.slipping] == ["Willow"]
    (willow,) = delivery.slipping
    reasons = " ".join(willow.slipping)
    assert "Attendance" in reasons and "Missed 1" in reasons and "No action completed" in reasons
    assert willow.meetings_missed == 1
    assert delivery.meetings_held >= 30 and delivery.meetings_planned >= 4
    assert 0.8 <= delivery.attendance_rate <= 0.95
    assert delivery.actions_completed > delivery.actions_committed / 3

    figures = report.figures
    for change in figures.change:
        assert not change.withheld and change.answered_both >= 5, change.question.key
        assert 0.5 <= change.change <= 1.5, change.question.key
    assert not figures.themes.withheld and figures.themes.shared
    assert report.recommend is not None and not report.recommend.withheld

    for pulse in figures.pulse:
        assert pulse.answered >= 25
        # Mostly 4s, some 3s and 5s.
        assert max(range(5), key=lambda i: pulse.distribution[i]) == 3
        assert pulse.distribution[2] and pulse.distribution[4]
    shown = [p for p in figures.pulse_over_time if not p.figures[0].withheld]
    assert len(shown) >= 6

    content = response.content.decode()
    assert "Slipping" in content and "Willow" in content
    # Counts and rates only: none of the sets' words reach the manager.
    for text in Question.objects.filter(meeting__set__programme=demo).values_list(
        "text", flat=True
    )[:20]:
        assert text not in content


def test_the_set_that_finished_its_year_shows_its_own_change(demo):
    ash = demo.sets.get(name="Ash")
    assert ash.status == Set.Status.CLOSED
    assert not ash.meetings.filter(starts_at__gt=timezone.now()).exists()
    change = figures_by_set(demo)[ash.pk].change
    assert all(not c.withheld and c.answered_both >= 5 for c in change)
    ended = Response.objects.filter(set=ash, survey=Survey.END)
    assert ended.count() >= 5 and ended.filter(share_theme=True).exists()


def test_fran_facilitates_in_two_programmes_without_a_clash(demo, client):
    fran = User.objects.get(email="fran@demo.revans.test")
    facilitated = Set.objects.filter(memberships__user=fran, memberships__role=Role.FACILITATOR)
    assert {s.programme.name for s in facilitated} == {"Leading Change", programme_name()}

    client.force_login(fran)
    response = client.get(reverse("facilitator_sets"))
    assert response.status_code == 200
    groups = dict(response.context["groups"])
    assert any(name.startswith("Leading Change") for name in groups)
    assert any(name.startswith(programme_name()) for name in groups)
    content = response.content.decode()
    assert "Aurora" in content and "Rowan" in content

    meetings = sorted(
        Meeting.objects.filter(set__in=facilitated, facilitated=True).exclude(
            status=Meeting.Status.CANCELLED
        ),
        key=lambda m: m.starts_at,
    )
    for earlier, later in pairwise(meetings):
        assert earlier.ends_at <= later.starts_at, (earlier, later)
        assert timezone.localdate(earlier.starts_at) != timezone.localdate(later.starts_at)


def test_leading_change_keeps_its_content_and_gains_answers_but_mo_and_oli_find_theirs_waiting(
    demo,
):
    aurora = Set.objects.get(name="Aurora")
    assert Question.objects.filter(meeting__set=aurora).count() == 24
    assert Action.objects.filter(set=aurora).count() == 5
    assert Membership.objects.filter(set=aurora).count() == 7
    starts = Response.objects.filter(set__programme__name="Leading Change", survey=Survey.START)
    assert starts.filter(set=aurora).count() == 5
    assert Response.objects.filter(set=aurora, survey=Survey.PULSE).exists()
    assert not Response.objects.filter(
        user__email__in=["mo@demo.revans.test", "oli@demo.revans.test"]
    ).exists()
