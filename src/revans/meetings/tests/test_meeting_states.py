"""The meeting and set pages follow the meeting's state, not only its planned time: a meeting
that has started, closed (even early) or was cancelled takes no apologies, is never the set's
"next meeting", and is never said to be waiting to start."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Attendance, Meeting

from .test_meeting_pages import meeting_in

SEND = "Send apologies"
LATER = "You can record attendance once the meeting has started."


def apologise(world, meeting, who="mo", **data):
    return world.client(getattr(world, who)).post(
        reverse("meeting_apologies", args=[meeting.pk]),
        {"action": "send", "note": "Away", **data},
        follow=True,
    )


def started_twenty_minutes_ago(world, **fields):
    meeting = meeting_in(world, **fields)
    meeting.starts_at = timezone.now() - timedelta(minutes=20)
    meeting.save(update_fields=["starts_at"])
    return meeting


def test_a_member_is_offered_apologies_before_a_scheduled_meeting(world):
    meeting = meeting_in(world)
    assert SEND in world.client(world.mo).get(meeting.get_absolute_url()).text
    apologise(world, meeting)
    assert Attendance.objects.get(meeting=meeting, user=world.mo).status == "apologies"


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("live", "Apologies are sent before a meeting starts; this one has started."),
        ("closed", "Apologies are sent before a meeting starts; this one is over."),
        ("cancelled", "This meeting was cancelled: no apologies are needed."),
    ],
)
def test_apologies_for_a_meeting_live_closed_or_cancelled_are_refused_even_before_its_time(
    world, state, message
):
    """The room can be opened (and closed) before the planned start: the state decides."""
    meeting = meeting_in(world, days=2, status=state)
    assert SEND not in world.client(world.mo).get(meeting.get_absolute_url()).text
    response = apologise(world, meeting)
    assert message in response.text
    assert not Attendance.objects.exists()


def test_apologies_once_the_planned_start_has_passed_are_refused(world):
    meeting = started_twenty_minutes_ago(world)
    assert SEND not in world.client(world.mo).get(meeting.get_absolute_url()).text
    response = apologise(world, meeting)
    assert "this one has started" in response.text
    assert not Attendance.objects.exists()


def test_apologies_cannot_be_withdrawn_once_the_meeting_has_started(world):
    meeting = meeting_in(world, days=2)
    Attendance.objects.create(meeting=meeting, user=world.mo, status="apologies", note="Away")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.LIVE)
    response = world.client(world.mo).post(
        reverse("meeting_apologies", args=[meeting.pk]), {"action": "withdraw"}, follow=True
    )
    assert "this one has started" in response.text
    assert Attendance.objects.get(meeting=meeting, user=world.mo).status == "apologies"


@pytest.mark.parametrize("who", ["pam", "nia"])
def test_apologies_from_someone_outside_the_set_get_404(world, who):
    meeting = meeting_in(world)
    response = world.client(getattr(world, who)).post(
        reverse("meeting_apologies", args=[meeting.pk]), {"note": "Away"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_meeting_closed_early_is_recorded_not_awaited(world):
    """Closed before its planned time: the facilitator records attendance, and nobody is told to
    wait for it to start."""
    meeting = meeting_in(world, days=1, status=Meeting.Status.CLOSED)
    html = world.client(world.fran).get(meeting.get_absolute_url()).text
    assert LATER not in html
    assert "Save attendance" in html
    response = world.client(world.fran).post(
        reverse("meeting_attendance", args=[meeting.pk]), {f"status-{world.mo.pk}": "present"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, user=world.mo).status == "present"


def test_a_closed_meeting_long_past_still_takes_attendance_without_the_waiting_line(world):
    meeting = meeting_in(world, days=-30, status=Meeting.Status.CLOSED)
    html = world.client(world.fran).get(meeting.get_absolute_url()).text
    assert LATER not in html and "Save attendance" in html


def test_only_a_meeting_still_to_come_says_attendance_waits_for_its_start(world):
    html = world.client(world.fran).get(meeting_in(world).get_absolute_url()).text
    assert LATER in html and "Save attendance" not in html
    cancelled = meeting_in(world, days=3, status=Meeting.Status.CANCELLED)
    html = world.client(world.fran).get(cancelled.get_absolute_url()).text
    assert LATER not in html and "Save attendance" not in html


def test_attendance_for_a_cancelled_meeting_is_refused(world):
    meeting = meeting_in(world, days=-1, status=Meeting.Status.CANCELLED)
    response = world.client(world.fran).post(
        reverse("meeting_attendance", args=[meeting.pk]),
        {f"status-{world.mo.pk}": "present"},
        follow=True,
    )
    assert "This meeting was cancelled" in response.text
    assert not Attendance.objects.exists()


def test_a_member_cannot_record_attendance_even_after_the_meeting_closed(world):
    meeting = meeting_in(world, days=-1, status=Meeting.Status.CLOSED)
    response = world.client(world.mo).post(
        reverse("meeting_attendance", args=[meeting.pk]), {f"status-{world.mo.pk}": "present"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def set_page(world, who="mo") -> str:
    return world.client(getattr(world, who)).get(reverse("set_detail", args=[world.aurora.pk])).text


def next_meeting_card(html: str) -> str:
    return html.split('id="schedule"', 1)[1].split("</section>", 1)[0]


def test_the_next_meeting_is_never_one_closed_early(world):
    closed_early = meeting_in(world, days=1, number=1, status=Meeting.Status.CLOSED)
    following = meeting_in(world, days=15, number=2)
    card = next_meeting_card(set_page(world))
    assert following.get_absolute_url() in card.split("After that", 1)[0]
    assert closed_early.get_absolute_url() not in card
    # It counts in the attendance record instead.
    assert "Attendance so far" in set_page(world, "fran")


def test_the_next_meeting_is_never_cancelled_nor_past(world):
    past = meeting_in(world, days=-3, number=1)
    cancelled = meeting_in(world, days=2, number=2, status=Meeting.Status.CANCELLED)
    card = next_meeting_card(set_page(world))
    assert past.get_absolute_url() not in card
    assert cancelled.get_absolute_url() not in card
    assert "No meeting planned after" in card
    assert timezone.localtime(past.starts_at).strftime("%-d %B %Y") in card


def test_a_live_meeting_is_the_next_meeting_with_its_room(world):
    live = started_twenty_minutes_ago(world, status=Meeting.Status.LIVE)
    card = next_meeting_card(set_page(world))
    assert live.get_absolute_url() in card and "Join the live room" in card
    assert "Details and apologies" not in card  # too late for apologies


def test_only_closed_meetings_left_means_no_next_meeting(world):
    meeting_in(world, days=1, number=1, status=Meeting.Status.CLOSED)
    card = next_meeting_card(set_page(world, "pam"))
    assert "No meeting planned" in card
