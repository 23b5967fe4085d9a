"""A facilitators' programme's page and what its managers run: training days, attendance,
trainees and trainers, learning outcomes. Anyone else gets the 404 of a missing programme."""

from datetime import UTC, datetime
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from revans.development.models import (
    DayAttendance,
    Evidence,
    Outcome,
    Participant,
    SignOff,
    TrainingDay,
)
from revans.sets.models import Set
from revans.site.testing import make_person


def text(response) -> str:
    return unescape(response.content.decode())


def page_url(f) -> str:
    return reverse("development_programme", args=[f.programme.pk])


def add_day(f, title="Day 1: the set and its ground rules", **fields) -> TrainingDay:
    fields.setdefault("starts_at", datetime(2026, 10, 1, 9, 30, tzinfo=UTC))
    return TrainingDay.objects.create(programme=f.programme, title=title, **fields)


# The programme's page


def test_managers_see_days_attendance_people_and_each_trainees_progress(facilitators):
    f = facilitators
    day = add_day(f, place="Room 4, Town Hall", hours=Decimal("6.5"))
    DayAttendance.objects.create(day=day, user=f.tara, status="present")
    DayAttendance.objects.create(day=day, user=f.theo, status="apologies")
    SignOff.objects.create(outcome=f.outcomes[0], trainee=f.tara, trainer=f.tina, note="Yes.")
    response = f.world.client(f.world.pam).get(page_url(f))
    assert response.status_code == 200
    page = text(response)
    assert "Facilitating Action Learning" in page
    assert "Day 1: the set and its ground rules" in page and "Room 4, Town Hall" in page
    assert "6.5 hours" in page
    assert "1 present" in page and "1 apologies" in page and "0 absent" in page
    assert "Tina" in page
    assert "1 of 5 outcomes signed off" in page and "0 of 5 outcomes signed off" in page
    assert reverse("development_trainee", args=[f.programme.pk, f.tara.pk]) in page
    assert "Kestrel" in page  # the practice sets, by name
    assert reverse("training_day_create", args=[f.programme.pk]) in page


def test_a_trainer_sees_progress_and_attendance_but_cannot_run_the_programme(facilitators):
    f = facilitators
    day = add_day(f)
    page = text(f.world.client(f.tina).get(page_url(f)))
    assert "0 of 5 outcomes signed off" in page
    assert reverse("training_day_attendance", args=[f.programme.pk, day.pk]) in page
    assert reverse("training_day_edit", args=[f.programme.pk, day.pk]) not in page
    assert reverse("development_people", args=[f.programme.pk]) not in page


def test_a_trainee_sees_fellow_trainees_names_only_and_a_link_to_their_outcomes(facilitators):
    f = facilitators
    day = add_day(f, video_link="https://meet.jit.si/fal-day-1")
    DayAttendance.objects.create(day=day, user=f.theo, status="absent")
    SignOff.objects.create(outcome=f.outcomes[0], trainee=f.theo, trainer=f.tina, note="Yes.")
    page = text(f.world.client(f.tara).get(page_url(f)))
    assert "Theo" in page and "Kestrel" in page
    assert "https://meet.jit.si/fal-day-1" in page
    assert "outcomes signed off" not in page  # nobody's progress
    assert "Absent" not in page and "absent" not in page  # nobody's attendance
    assert reverse("development_trainee", args=[f.programme.pk, f.theo.pk]) not in page
    assert reverse("development_my_outcomes", args=[f.programme.pk]) in page
    assert reverse("training_day_attendance", args=[f.programme.pk, day.pk]) not in page


def test_a_training_day_is_shown_in_the_viewers_time_zone(facilitators):
    f = facilitators
    add_day(f, starts_at=datetime(2026, 10, 1, 13, 0, tzinfo=UTC))
    f.tara.time_zone = "America/New_York"
    f.tara.save()
    page = text(f.world.client(f.tara).get(page_url(f)))
    assert "Thursday 1 October 2026, 09:00" in page and "America/New_York" in page


@pytest.mark.parametrize("who", ["nia", "mo", "fran", "gus"])
def test_people_outside_the_programme_get_404(facilitators, who):
    f = facilitators
    person = getattr(f.world, who)
    assert f.world.client(person).get(page_url(f)).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(facilitators):
    response = facilitators.world.client(None).get(page_url(facilitators))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_programme_of_sets_has_no_development_page(facilitators):
    world = facilitators.world
    url = reverse("development_programme", args=[world.programme.pk])
    assert world.client(world.pam).get(url).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["pam", "tina", "tara"])
def test_the_programme_page_reads_the_same_number_of_queries_however_big(facilitators, who):
    """Guards against N+1: days, attendance, people and progress are read once each."""
    f = facilitators
    person = getattr(f.world, who, None) or getattr(f, who)
    client = f.world.client(person)
    add_day(f)
    small = _queries(client, page_url(f))
    for k in range(6):
        trainee = make_person(f"trainee{k}")
        Participant.objects.create(programme=f.programme, user=trainee)
        day = add_day(f, title=f"Day {k + 2}")
        DayAttendance.objects.create(day=day, user=trainee, status="present")
        SignOff.objects.create(outcome=f.outcomes[1], trainee=trainee, trainer=f.tina, note="ok")
        Set.objects.create(name=f"Practice {k}", programme=f.programme)
    assert _queries(client, page_url(f)) == small
    expected = {"pam": 11, "tina": 11, "tara": 9}[who]
    assert small == expected


# Training days


def day_data(**fields) -> dict:
    data = {
        "title": "Day 2: questioning",
        "date": "2026-11-05",
        "time": "09:30",
        "hours": "6",
        "place": "Room 4",
        "video_link": "",
    }
    data.update(fields)
    return data


def test_a_manager_adds_edits_and_deletes_a_training_day(facilitators):
    f = facilitators
    client = f.world.client(f.world.pam)
    f.world.pam.time_zone = "Europe/London"
    f.world.pam.save()
    url = reverse("training_day_create", args=[f.programme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, day_data(hours="0.25", video_link="https://meet.jit.si/x"))
    assert response.status_code == 302
    day = TrainingDay.objects.get(programme=f.programme)
    assert day.starts_at == datetime(2026, 11, 5, 9, 30, tzinfo=UTC)  # GMT in November
    assert day.hours == Decimal("0.25") and day.video_link == "https://meet.jit.si/x"
    edit = reverse("training_day_edit", args=[f.programme.pk, day.pk])
    assert "09:30" in text(client.get(edit))
    client.post(edit, day_data(title="Day 2: questions", hours="24"))
    day.refresh_from_db()
    assert day.title == "Day 2: questions" and day.hours == 24
    DayAttendance.objects.create(day=day, user=f.tara, status="present")
    delete = reverse("training_day_delete", args=[f.programme.pk, day.pk])
    page = text(client.get(delete))  # asks first
    assert "Delete “Day 2: questions”?" in page and "1 trainee recorded" in page
    assert TrainingDay.objects.exists()
    client.post(delete)
    assert not TrainingDay.objects.exists() and not DayAttendance.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"hours": "-1"}, "at least a quarter of an hour"),
        ({"hours": "0"}, "at least a quarter of an hour"),
        ({"hours": "24.5"}, "at most 24 hours"),
        ({"hours": "six"}, "Give the hours as a number"),
        ({"title": "   "}, "Give the day a title"),
        ({"date": ""}, "Give the day's date"),
        ({"date": "0001-01-01", "time": "00:00"}, "Choose a date within a year of the programme"),
        ({"date": "2029-01-01"}, "(01/09/2026 to 31/05/2027)"),
        (
            {"date": "2026-03-29", "time": "01:30"},
            "does not exist in Europe/London",
        ),  # clocks go on
        ({"video_link": "http://meet.example.org/x"}, "https://"),
    ],
)
def test_a_bad_training_day_is_refused_with_a_message(facilitators, fields, message):
    f = facilitators
    url = reverse("training_day_create", args=[f.programme.pk])
    response = f.world.client(f.world.pam).post(url, day_data(**fields))
    assert response.status_code == 200
    assert message in text(response)
    assert not TrainingDay.objects.exists()


@pytest.mark.parametrize("who", ["tina", "tara", "nia"])
def test_only_managers_add_edit_or_delete_days(facilitators, who):
    f = facilitators
    person = getattr(f, who, None) or getattr(f.world, who)
    client = f.world.client(person)
    day = add_day(f)
    assert (
        client.post(reverse("training_day_create", args=[f.programme.pk]), day_data()).status_code
        == 404
    )
    edit = reverse("training_day_edit", args=[f.programme.pk, day.pk])
    assert client.post(edit, day_data(title="Mine")).status_code == 404
    delete = reverse("training_day_delete", args=[f.programme.pk, day.pk])
    assert client.get(delete).status_code == 404
    assert client.post(delete).status_code == 404
    assert TrainingDay.objects.get().title == day.title


def test_a_day_of_another_programme_is_not_found(facilitators):
    f = facilitators
    other = TrainingDay.objects.create(
        programme=f.world.programme, title="Elsewhere", starts_at=datetime(2026, 10, 1, tzinfo=UTC)
    )
    url = reverse("training_day_edit", args=[f.programme.pk, other.pk])
    assert f.world.client(f.world.pam).get(url).status_code == 404


# Attendance


@pytest.mark.parametrize("who", ["pam", "tina"])
def test_managers_and_trainers_record_each_trainees_attendance_on_one_form(facilitators, who):
    f = facilitators
    person = getattr(f.world, who, None) or getattr(f, who)
    client = f.world.client(person)
    day = add_day(f)
    url = reverse("training_day_attendance", args=[f.programme.pk, day.pk])
    page = text(client.get(url))
    assert "Tara" in page and "Theo" in page and "Tina" not in page.split("<form")[1]
    response = client.post(
        url,
        {
            f"status-{f.tara.pk}": "present",
            f"status-{f.theo.pk}": "apologies",
            f"status-{f.tina.pk}": "absent",
        },
    )
    assert response.status_code == 302
    assert dict(DayAttendance.objects.values_list("user__display_name", "status")) == {
        "Tara": "present",
        "Theo": "apologies",
    }
    client.post(url, {f"status-{f.theo.pk}": "absent"})
    assert DayAttendance.objects.get(user=f.theo).status == "absent"
    assert DayAttendance.objects.get(user=f.tara).status == "present"  # kept


def test_a_status_that_is_not_one_is_refused(facilitators):
    f = facilitators
    day = add_day(f)
    url = reverse("training_day_attendance", args=[f.programme.pk, day.pk])
    response = f.world.client(f.tina).post(url, {f"status-{f.tara.pk}": "asleep"})
    assert response.status_code == 200 and "Select a valid choice" in text(response)
    assert not DayAttendance.objects.exists()


@pytest.mark.parametrize("who", ["tara", "nia", "fran"])
def test_trainees_and_outsiders_cannot_record_attendance(facilitators, who):
    f = facilitators
    person = getattr(f, who, None) or getattr(f.world, who)
    day = add_day(f)
    url = reverse("training_day_attendance", args=[f.programme.pk, day.pk])
    client = f.world.client(person)
    assert client.get(url).status_code == 404
    assert client.post(url, {f"status-{f.tara.pk}": "present"}).status_code == 404
    assert not DayAttendance.objects.exists()


# Trainees and trainers


def people_url(f) -> str:
    return reverse("development_people", args=[f.programme.pk])


def test_a_manager_adds_a_person_by_email_changes_their_role_and_removes_them(facilitators):
    f = facilitators
    client = f.world.client(f.world.pam)
    assert "tara@example.org" in text(client.get(people_url(f)))
    response = client.post(people_url(f), {"email": "NIA@example.org", "role": "trainer"})
    assert response.status_code == 302
    place = Participant.objects.get(programme=f.programme, user=f.world.nia)
    assert place.role == "trainer"
    client.post(reverse("participant_role", args=[f.programme.pk, place.pk]), {"role": "trainee"})
    place.refresh_from_db()
    assert place.role == "trainee"
    client.post(reverse("participant_remove", args=[f.programme.pk, place.pk]))
    assert not Participant.objects.filter(user=f.world.nia).exists()
    assert client.get(page_url(f)).status_code == 200


def test_an_unknown_address_needs_an_account_first(facilitators):
    f = facilitators
    response = f.world.client(f.world.pam).post(
        people_url(f), {"email": "stranger@example.org", "role": "trainee"}
    )
    assert response.status_code == 200
    assert "Nobody uses Revans with stranger@example.org: they must have an account first" in (
        text(response)
    )
    assert Participant.objects.filter(programme=f.programme).count() == 3


def test_someone_already_in_the_programme_is_not_added_twice(facilitators):
    f = facilitators
    response = f.world.client(f.world.pam).post(
        people_url(f), {"email": "tara@example.org", "role": "trainer"}
    )
    assert response.status_code == 200
    assert "Tara is already a trainee of this programme." in text(response)
    assert Participant.objects.get(user=f.tara).role == "trainee"


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-address", "role": "trainee"},
        {"email": "nia@example.org", "role": "chief"},
        {},
    ],
)
def test_bad_people_input_is_refused_with_a_message(facilitators, data):
    f = facilitators
    response = f.world.client(f.world.pam).post(people_url(f), data)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert Participant.objects.filter(programme=f.programme).count() == 3


def test_a_manager_cannot_make_herself_or_another_manager_a_trainer(facilitators):
    """Trainers read trainees' evidence and managers never do: pam cannot reach it by making
    herself (or her co-manager) a trainer, neither by adding nor by changing a role."""
    from revans.development.models import Evidence

    f = facilitators
    f.programme.managers.add(f.world.fran)
    client = f.world.client(f.world.pam)
    for email in ("pam@example.org", "fran@example.org"):
        response = client.post(people_url(f), {"email": email, "role": "trainer"})
        assert response.status_code == 200
        assert "manages this programme, so cannot be one of its trainers" in text(response)
    assert not Participant.objects.filter(user__in=[f.world.pam, f.world.fran]).exists()
    # As a trainee she may be added (she sees only her own), but not turned into a trainer.
    client.post(people_url(f), {"email": "pam@example.org", "role": "trainee"})
    place = Participant.objects.get(programme=f.programme, user=f.world.pam)
    response = client.post(
        reverse("participant_role", args=[f.programme.pk, place.pk]),
        {"role": "trainer"},
        follow=True,
    )
    assert "manages this programme, so cannot be one of its trainers" in text(response)
    place.refresh_from_db()
    assert place.role == "trainee"
    assert not Evidence.objects.visible_to(f.world.pam).exclude(trainee=f.world.pam).exists()
    trainee_page = reverse("development_trainee", args=[f.programme.pk, f.tara.pk])
    assert "Sign off outcome" not in text(client.get(trainee_page))


def test_a_role_that_is_not_one_is_refused(facilitators):
    f = facilitators
    place = Participant.objects.get(user=f.tara)
    client = f.world.client(f.world.pam)
    response = client.post(
        reverse("participant_role", args=[f.programme.pk, place.pk]), {"role": "boss"}, follow=True
    )
    assert "Choose trainee or trainer." in text(response)
    place.refresh_from_db()
    assert place.role == "trainee"


@pytest.mark.parametrize("who", ["tina", "tara", "nia"])
def test_only_managers_change_the_people(facilitators, who):
    f = facilitators
    client = f.world.client(getattr(f, who, None) or getattr(f.world, who))
    place = Participant.objects.get(user=f.theo)
    assert client.get(people_url(f)).status_code == 404
    assert (
        client.post(people_url(f), {"email": "nia@example.org", "role": "trainer"}).status_code
        == 404
    )
    assert (
        client.post(
            reverse("participant_role", args=[f.programme.pk, place.pk]), {"role": "trainer"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("participant_remove", args=[f.programme.pk, place.pk])).status_code
        == 404
    )
    assert Participant.objects.filter(programme=f.programme).count() == 3
    assert Participant.objects.get(user=f.theo).role == "trainee"


# Learning outcomes


def manage_url(f) -> str:
    return reverse("development_outcomes_manage", args=[f.programme.pk])


def numbers(f) -> list[tuple[int, str]]:
    return list(f.programme.outcomes.order_by("number").values_list("number", "text"))


def test_a_manager_adds_edits_and_deletes_outcomes_numbered_one_to_n(facilitators):
    f = facilitators
    client = f.world.client(f.world.pam)
    assert f.outcomes[0].text in text(client.get(manage_url(f)))
    client.post(manage_url(f), {"text": "  Supervise   a new facilitator. "})
    assert numbers(f)[-1] == (6, "Supervise a new facilitator.")
    edit = reverse("development_outcome_edit", args=[f.programme.pk, f.outcomes[1].pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"text": "Run a first meeting."})
    assert numbers(f)[1] == (2, "Run a first meeting.")
    client.post(reverse("development_outcome_delete", args=[f.programme.pk, f.outcomes[1].pk]))
    assert [n for n, _ in numbers(f)] == [1, 2, 3, 4, 5]
    assert "Run a first meeting." not in [t for _, t in numbers(f)]
    assert numbers(f)[-1] == (5, "Supervise a new facilitator.")


def test_an_outcome_with_evidence_or_a_sign_off_is_not_deleted(facilitators):
    f = facilitators
    Evidence.objects.create(outcome=f.outcomes[0], trainee=f.tina, kind="set", set=f.kestrel)
    SignOff.objects.create(outcome=f.outcomes[2], trainee=f.tara, trainer=f.tina, note="Met.")
    client = f.world.client(f.world.pam)
    for outcome in (f.outcomes[0], f.outcomes[2]):
        url = reverse("development_outcome_delete", args=[f.programme.pk, outcome.pk])
        response = client.post(url, follow=True)
        assert f"Outcome {outcome.number} has evidence or a sign-off, so it stays" in text(response)
    assert len(numbers(f)) == 5


@pytest.mark.parametrize("data", [{"text": ""}, {"text": "   "}, {"text": "x" * 501}])
def test_an_empty_or_long_outcome_is_refused(facilitators, data):
    f = facilitators
    client = f.world.client(f.world.pam)
    response = client.post(manage_url(f), data)
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    edit = reverse("development_outcome_edit", args=[f.programme.pk, f.outcomes[0].pk])
    assert client.post(edit, data).status_code == 200
    assert numbers(f) == [(o.number, o.text) for o in f.outcomes]


@pytest.mark.parametrize("who", ["tina", "tara", "nia"])
def test_only_managers_write_outcomes(facilitators, who):
    f = facilitators
    client = f.world.client(getattr(f, who, None) or getattr(f.world, who))
    outcome = f.outcomes[0]
    assert client.get(manage_url(f)).status_code == 404
    assert client.post(manage_url(f), {"text": "Mine"}).status_code == 404
    edit = reverse("development_outcome_edit", args=[f.programme.pk, outcome.pk])
    assert client.post(edit, {"text": "Mine"}).status_code == 404
    delete = reverse("development_outcome_delete", args=[f.programme.pk, outcome.pk])
    assert client.post(delete).status_code == 404
    assert numbers(f) == [(o.number, o.text) for o in f.outcomes]


def test_an_outcome_of_another_programme_is_not_found(facilitators):
    f = facilitators
    other = Outcome.objects.create(programme=f.world.programme, number=1, text="Elsewhere")
    url = reverse("development_outcome_edit", args=[f.programme.pk, other.pk])
    assert f.world.client(f.world.pam).get(url).status_code == 404
