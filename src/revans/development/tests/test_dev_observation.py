"""Observed practice (issue 16): the set's facilitator arranges, on the meeting page, who
observes whose chairing; the room shows everyone that an observer is present; the observer, if
recorded present, writes feedback that only the trainee and the observer read; the trainee adds
it to their log. In Kestrel, tina (facilitator) observes tara's chairing; theo is another member;
pam manages the programme; nia is in no set."""

from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import strip_tags

from revans.development.models import Observation
from revans.journal.models import Entry, Log
from revans.meetings.models import Attendance, Meeting
from revans.meetings.testing import make_meeting
from revans.sets.models import Membership, Role

FEEDBACK = {
    "went_well": "You held the silence after Theo's first question.",
    "opening_questions": "“What would it look like if it worked?”",
    "interventions": "You stopped advice twice, kindly.",
    "try_next": "Hand the process review to the set.",
}


def text(response) -> str:
    return unescape(response.content.decode())


def plain(response) -> str:
    return " ".join(strip_tags(text(response)).split())


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def coming(facilitators):
    """Kestrel's next meeting, tomorrow."""
    return make_meeting(facilitators.kestrel, 2, days=1)


@pytest.fixture
def observed(facilitators):
    """tina observed tara's chairing of the practice meeting, and was there."""
    Attendance.objects.create(
        meeting=facilitators.practice, user=facilitators.tina, status=Attendance.Status.PRESENT
    )
    return Observation.objects.create(
        meeting=facilitators.practice,
        trainee=facilitators.tara,
        observer=facilitators.tina,
        arranged_by=facilitators.tina,
    )


@pytest.fixture
def written(observed):
    Observation.objects.filter(pk=observed.pk).update(**FEEDBACK, written_at=observed.arranged_at)
    observed.refresh_from_db()
    return observed


def arrange(world, person, meeting, trainee, observer):
    return world.client(person).post(
        reverse("observation_arrange", args=[meeting.pk]),
        {"trainee": trainee.pk if trainee else "", "observer": observer.pk if observer else ""},
    )


# Arranging, on the meeting page


def test_the_facilitator_arranges_an_observation_and_the_set_sees_it(world, facilitators, coming):
    f = facilitators
    page = text(world.client(f.tina).get(coming.get_absolute_url()))
    assert "Arrange an observation" in page
    response = arrange(world, f.tina, coming, f.tara, f.tina)
    assert response.status_code == 302 and response["Location"] == coming.get_absolute_url()
    assert "Tina observes Tara's chairing of meeting 2" in said(response)
    observation = Observation.objects.get()
    assert (observation.trainee, observation.observer, observation.arranged_by) == (
        f.tara,
        f.tina,
        f.tina,
    )
    for person in (f.tina, f.tara, f.theo):
        page = text(world.client(person).get(coming.get_absolute_url()))
        assert "Observed practice: Tina observes Tara's chairing" in page
    theo = text(world.client(f.theo).get(coming.get_absolute_url()))
    assert "Arrange an observation" not in theo and "observation_cancel" not in theo
    # the programme's manager sees the meeting's date, not who observes whom
    pam = text(world.client(world.pam).get(coming.get_absolute_url()))
    assert "Observed practice" not in pam


def test_an_observer_member_of_the_set_may_observe(world):
    """Aurora: fran facilitates, mo is a member, obi observes the set."""
    meeting = make_meeting(world.aurora, 3, days=2)
    response = arrange(world, world.fran, meeting, world.mo, world.obi)
    assert response.status_code == 302
    assert Observation.objects.get().observer == world.obi


@pytest.mark.parametrize("who", ["theo", "tara", "pam", "nia"])
def test_only_whoever_chairs_may_arrange(world, facilitators, coming, who):
    person = getattr(facilitators, who, None) or getattr(world, who)
    response = arrange(world, person, coming, facilitators.tara, facilitators.tina)
    assert response.status_code == 404
    assert not Observation.objects.exists()


def test_arranging_is_refused_with_a_message_for_bad_choices(world, facilitators, coming):
    f = facilitators
    cases = [
        (f.tara, f.tara, "must be two different people"),
        (world.nia, f.tina, "the trainee must be in the set"),
        (f.tara, world.nia, "the observer must be in the set"),
        (None, f.tina, "Choose the trainee"),
    ]
    for trainee, observer, message in cases:
        response = arrange(world, f.tina, coming, trainee, observer)
        assert response.status_code == 302, message
        assert message in said(response)
    assert not Observation.objects.exists()


def test_an_observer_of_the_set_cannot_be_the_trainee(world):
    meeting = make_meeting(world.aurora, 3, days=2)
    response = arrange(world, world.fran, meeting, world.obi, world.fran)
    assert "the trainee must be in the set" in said(response)
    assert not Observation.objects.exists()


def test_the_same_observer_is_arranged_once_per_meeting(world, facilitators, coming):
    f = facilitators
    arrange(world, f.tina, coming, f.tara, f.tina)
    response = arrange(world, f.tina, coming, f.theo, f.tina)
    assert "Tina already observes meeting 2." in said(response)
    assert Observation.objects.count() == 1


def test_a_closed_or_cancelled_meeting_cannot_be_arranged(world, facilitators, coming):
    f = facilitators
    response = arrange(world, f.tina, f.practice, f.tara, f.tina)
    assert "is over" in said(response)
    page = text(world.client(f.tina).get(f.practice.get_absolute_url()))
    assert "Arrange an observation" not in page
    Meeting.objects.filter(pk=coming.pk).update(status=Meeting.Status.CANCELLED)
    response = arrange(world, f.tina, coming, f.tara, f.tina)
    assert "cancelled" in said(response)
    assert not Observation.objects.exists()


def test_the_facilitator_cancels_an_observation_not_yet_written(world, facilitators, observed):
    f = facilitators
    url = reverse("observation_cancel", args=[observed.pk])
    for person in (f.theo, f.tara, world.pam, world.nia):
        assert world.client(person).post(url).status_code == 404
    assert Observation.objects.exists()
    response = world.client(f.tina).post(url)
    assert response.status_code == 302 and "cancelled" in said(response)
    assert not Observation.objects.exists()


def test_a_written_observation_cannot_be_cancelled(world, facilitators, written):
    response = world.client(facilitators.tina).post(
        reverse("observation_cancel", args=[written.pk])
    )
    assert "it stays" in said(response)
    assert Observation.objects.filter(pk=written.pk).exists()


# The room


def test_the_room_shows_everyone_who_is_observing(world, facilitators):
    f = facilitators
    live = make_meeting(f.kestrel, 2, days=0, status="live")
    Observation.objects.create(meeting=live, trainee=f.tara, observer=f.tina)
    room = reverse("meeting_room", args=[live.pk])
    theo = plain(world.client(f.theo).get(room))
    assert "Tina is observing Tara's chairing." in theo
    phases = (
        "check_in report_back bidding airtime how_it_works practice ground_rules dates"
        " process_review summary closed"
    )
    assert f'data-room-phases="{phases}"' in text(world.client(f.theo).get(room))
    assert "hand the chair to Tara" not in theo
    tina = plain(world.client(f.tina).get(room))
    assert "Tina is observing Tara's chairing." in tina and "hand the chair to Tara" in tina
    quiet = make_meeting(f.kestrel, 3, days=7)
    quiet_room = reverse("meeting_room", args=[quiet.pk])
    assert "is observing" not in plain(world.client(f.theo).get(quiet_room))


def test_an_observation_opens_no_room_to_someone_who_left_the_set(world, facilitators):
    f = facilitators
    live = make_meeting(f.kestrel, 2, days=0, status="live")
    Membership.objects.create(set=f.kestrel, user=world.nia, role=Role.OBSERVER)
    Observation.objects.create(meeting=live, trainee=f.tara, observer=world.nia)
    room = reverse("meeting_room", args=[live.pk])
    assert world.client(world.nia).get(room).status_code == 200
    Membership.objects.filter(set=f.kestrel, user=world.nia).delete()
    assert world.client(world.nia).get(room).status_code == 404


# Feedback


def test_the_observer_writes_feedback_and_may_change_it(world, facilitators, observed):
    url = reverse("observation_feedback", args=[observed.pk])
    tina = world.client(facilitators.tina)
    page = text(tina.get(url))
    assert "Feedback on Tara's chairing" in page and "Questions that opened things up" in page
    response = tina.post(url, {**FEEDBACK, "interventions": "  "})
    assert response.status_code == 302
    assert response["Location"] == reverse("observation_detail", args=[observed.pk])
    observed.refresh_from_db()
    assert observed.written and observed.went_well == FEEDBACK["went_well"]
    assert observed.interventions == ""
    first = observed.written_at
    tina.post(url, {"try_next": "Only this now."})
    observed.refresh_from_db()
    assert observed.try_next == "Only this now." and observed.went_well == ""
    assert observed.written_at >= first


@pytest.mark.parametrize("who", ["tara", "theo", "pam", "nia"])
def test_only_the_observer_may_write_feedback(world, facilitators, observed, who):
    person = getattr(facilitators, who, None) or getattr(world, who)
    url = reverse("observation_feedback", args=[observed.pk])
    client = world.client(person)
    assert client.get(url).status_code == 404
    assert client.post(url, FEEDBACK).status_code == 404
    observed.refresh_from_db()
    assert not observed.written


def test_feedback_on_a_session_the_observer_did_not_attend_is_refused(
    world, facilitators, observed
):
    Attendance.objects.filter(user=facilitators.tina).update(status=Attendance.Status.APOLOGIES)
    url = reverse("observation_feedback", args=[observed.pk])
    response = world.client(facilitators.tina).post(url, FEEDBACK)
    assert response.status_code == 400
    assert "feedback on a session the observer did not attend" in text(response)
    observed.refresh_from_db()
    assert not observed.written and observed.went_well == ""


def test_feedback_waits_for_the_meeting_to_start(world, facilitators, coming):
    f = facilitators
    observation = Observation.objects.create(meeting=coming, trainee=f.tara, observer=f.tina)
    page = text(world.client(f.tina).get(reverse("observation_feedback", args=[observation.pk])))
    assert "Feedback is written once meeting 2 has started" in page
    assert "Save the feedback" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Write at least one part of the feedback"),
        ({"went_well": "   "}, "Write at least one part of the feedback"),
        ({"went_well": "x" * 2001}, "Keep each part under 2,000 characters."),
    ],
)
def test_bad_feedback_is_refused_with_a_message(world, facilitators, observed, data, message):
    url = reverse("observation_feedback", args=[observed.pk])
    response = world.client(facilitators.tina).post(url, data)
    assert response.status_code == 400 and message in text(response)
    observed.refresh_from_db()
    assert not observed.written and observed.went_well == ""


# Reading it, and adding it to the log


def test_the_trainee_reads_the_feedback(world, facilitators, written):
    page = text(
        world.client(facilitators.tara).get(reverse("observation_detail", args=[written.pk]))
    )
    assert "Tina's feedback on your chairing" in page
    assert "Kestrel, meeting 1" in page
    for value in FEEDBACK.values():
        assert value in page
    assert "Add to my log" in page
    observer = text(
        world.client(facilitators.tina).get(reverse("observation_detail", args=[written.pk]))
    )
    assert "Your feedback on Tara's chairing" in observer and "Add to my log" not in observer


def test_the_trainee_waits_for_unwritten_feedback(world, facilitators, observed):
    page = text(
        world.client(facilitators.tara).get(reverse("observation_detail", args=[observed.pk]))
    )
    assert "Tina has not written the feedback yet." in page and "Add to my log" not in page
    response = world.client(facilitators.tara).post(
        reverse("observation_to_log", args=[observed.pk]), {"log": "new"}
    )
    assert "not written yet" in said(response)
    assert not Entry.objects.exists()


@pytest.mark.parametrize("who", ["theo", "pam", "nia"])
def test_nobody_else_reads_the_feedback(world, facilitators, written, who):
    person = getattr(facilitators, who, None) or getattr(world, who)
    client = world.client(person)
    assert client.get(reverse("observation_detail", args=[written.pk])).status_code == 404
    response = client.post(reverse("observation_to_log", args=[written.pk]), {"log": "new"})
    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_the_observer_cannot_add_it_to_a_log(world, facilitators, written):
    url = reverse("observation_to_log", args=[written.pk])
    assert world.client(facilitators.tina).post(url, {"log": "new"}).status_code == 404
    assert not Entry.objects.exists()


def test_add_to_my_log_makes_a_set_journal_for_someone_with_none(world, facilitators, written):
    response = world.client(facilitators.tara).post(
        reverse("observation_to_log", args=[written.pk]), {"log": "new"}
    )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("entry_edit", args=[entry.pk])
    assert entry.log.owner == facilitators.tara and entry.log.title == "My set journal"
    assert entry.draft and entry.meeting == facilitators.practice
    assert entry.title == "Observed practice: Kestrel, meeting 1"
    for heading in (
        "## What went well",
        "## Questions that opened things up",
        "## Interventions",
        "## What to try next",
    ):
        assert heading in entry.body
    assert FEEDBACK["try_next"] in entry.body


def test_add_to_my_log_goes_into_a_chosen_log(world, facilitators, written):
    log = Log.objects.create(owner=facilitators.tara, title="My chairing")
    client = world.client(facilitators.tara)
    response = client.post(reverse("observation_to_log", args=[written.pk]), {"log": str(log.pk)})
    assert response.status_code == 302
    assert Entry.objects.get().log == log and Log.objects.count() == 1


def test_add_to_my_log_refuses_someone_elses_log(world, facilitators, written):
    other = Log.objects.create(owner=facilitators.theo, title="Theo's")
    response = world.client(facilitators.tara).post(
        reverse("observation_to_log", args=[written.pk]), {"log": str(other.pk)}
    )
    assert response.status_code == 400
    assert "Choose one of your logs" in text(response)
    assert not Entry.objects.exists()


# My observations


def test_my_observations_lists_both_sides(
    world, facilitators, written, coming, django_assert_num_queries
):
    f = facilitators
    Observation.objects.create(meeting=coming, trainee=f.theo, observer=f.tina)
    tina = world.client(f.tina)
    tina.get(reverse("observation_list"))  # the session, warmed
    # Guards against one query per observation: the session, the user, the observations.
    with django_assert_num_queries(3):
        page = text(tina.get(reverse("observation_list")))
    assert "Observations I make" in page
    assert page.count("Feedback written") == 1 and page.count("Arranged") == 1
    tara = text(world.client(f.tara).get(reverse("observation_list")))
    assert "Kestrel, meeting 1" in tara and "Kestrel, meeting 2" not in tara
    nia = text(world.client(world.nia).get(reverse("observation_list")))
    assert nia.count("None yet.") == 2
    assert world.client(None).get(reverse("observation_list")).status_code == 302
