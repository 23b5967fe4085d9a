"""The demo's facilitators' programme: tina trains, tara is part-way, theo has just started, and
fran's practice beyond Revans is recorded."""

import pytest
from django.contrib.auth import authenticate

from revans.accounts.models import User
from revans.development.models import (
    DayAttendance,
    Evidence,
    Observation,
    Participant,
    PracticeEntry,
    SignOff,
    TrainingDay,
)
from revans.journal.models import Entry
from revans.programmes.models import Programme
from revans.site.demo import PASSWORD, load_demo


@pytest.fixture
def demo(db) -> Programme:
    load_demo(cohort=False, council=False)
    return Programme.objects.get(name="Facilitating Action Learning")


def person(key: str) -> User:
    return User.objects.get(email=f"{key}@demo.revans.test")


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Participant,
            TrainingDay,
            DayAttendance,
            Evidence,
            SignOff,
            Observation,
            PracticeEntry,
        )
    }


def test_the_programme_has_five_days_three_held_and_its_five_outcomes(demo):
    assert demo.kind == Programme.Kind.DEVELOPMENT
    assert demo.managers.get() == person("pam")
    assert demo.outcomes.count() == 5
    days = list(demo.training_days.all())
    assert len(days) == 5 and sum(1 for d in days if d.attendance.exists()) == 3
    roles = dict(demo.participants.values_list("user__email", "role"))
    assert roles == {
        "tina@demo.revans.test": "trainer",
        "tara@demo.revans.test": "trainee",
        "theo@demo.revans.test": "trainee",
    }


def test_days_and_practice_meetings_fall_on_working_days(demo):
    from revans.meetings.models import Meeting

    days = [d.starts_at for d in demo.training_days.all()]
    meetings = [m.starts_at for m in Meeting.objects.filter(set__programme=demo)]
    assert len(days) == 5 and len(meetings) == 2
    assert all(when.weekday() < 5 for when in days + meetings)


def test_tara_is_part_way_and_theo_has_just_started(demo):
    tara, theo, tina = person("tara"), person("theo"), person("tina")
    assert sorted(
        SignOff.objects.filter(trainee=tara).values_list("outcome__number", flat=True)
    ) == [1, 2, 4]
    assert set(SignOff.objects.values_list("trainer", flat=True)) == {tina.pk}
    assert Evidence.objects.filter(trainee=tara).count() == 4
    observation = Observation.objects.get(trainee=tara)
    assert observation.observer == tina and observation.written and observation.try_next
    entries = Entry.objects.filter(log__owner=tara)
    assert entries.filter(draft=False).count() == 3 and entries.filter(draft=True).count() == 1
    assert not Evidence.objects.filter(trainee=theo).exists()
    assert DayAttendance.objects.filter(user=theo).count() == 1
    assert authenticate(email=tara.email, password=PASSWORD) == tara


def test_fran_has_her_profile_and_two_outside_clients(demo):
    fran = person("fran")
    assert (fran.facilitator_training, fran.facilitator_basis) == ("trained", "internal")
    practice = PracticeEntry.objects.filter(user=fran, kind="practice")
    assert practice.values("title").distinct().count() == 2
    assert PracticeEntry.objects.filter(user=fran).count() == 5


def test_loading_it_twice_changes_nothing(demo):
    first = counts()
    load_demo(cohort=False, council=False)
    assert counts() == first
