"""Facilitated sessions: a set in a programme is facilitated for N of its meetings and runs the
rest itself; each meeting says which (its page, the schedule, the calendar entry, the room); its
facilitators and the programme's managers mark meetings within the allowance, nobody else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.meetings import facilitation
from revans.meetings.calendar import description
from revans.meetings.models import Attendance, Meeting, Room
from revans.meetings.room.services import Refused, apply, open_room
from revans.meetings.testing import make_meeting


@pytest.fixture
def six_of_nine(world):
    """Leading Change allows 6 facilitated meetings per set; Aurora has 9, the first 6
    facilitated."""
    world.programme.facilitated_meetings = 6
    world.programme.save()
    meetings = [
        make_meeting(world.aurora, number=k, days=7 * k, facilitated=k <= 6) for k in range(1, 10)
    ]
    return meetings


def mark(world, who, meeting, value):
    url = reverse("meeting_facilitation", args=[meeting.pk])
    return world.client(who).post(url, {"facilitated": value}, follow=True)


def test_the_allowance_comes_from_the_programme_and_counts_meetings_not_cancelled(
    world, six_of_nine
):
    assert facilitation.allowance(world.aurora) == 6
    assert facilitation.left(world.aurora) == 0
    Meeting.objects.filter(pk=six_of_nine[0].pk).update(status=Meeting.Status.CANCELLED)
    assert facilitation.left(world.aurora) == 1
    world.aurora.programme = None
    assert facilitation.allowance(world.aurora) is None
    assert facilitation.plan(world.aurora, 3) == [True, True, True]


def test_the_facilitator_marks_a_meeting_self_facilitated_and_calendars_update(world, six_of_nine):
    meeting = six_of_nine[2]
    response = mark(world, world.fran, meeting, "0")
    assert "Meeting 3 is self-facilitated" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.facilitated is False
    assert meeting.sequence == 1
    assert meeting.self_facilitated


def test_a_manager_marks_a_meeting_facilitated_within_the_allowance(world, six_of_nine):
    mark(world, world.pam, six_of_nine[0], "0")
    response = mark(world, world.pam, six_of_nine[8], "1")
    assert "Meeting 9 is facilitated" in response.content.decode()
    six_of_nine[8].refresh_from_db()
    assert six_of_nine[8].facilitated


def test_past_the_allowance_it_is_refused_with_a_clear_message(world, six_of_nine):
    response = mark(world, world.fran, six_of_nine[7], "1")
    html = response.content.decode()
    assert "Aurora has used all 6 of its facilitated meetings" in html
    six_of_nine[7].refresh_from_db()
    assert six_of_nine[7].facilitated is False
    assert six_of_nine[7].sequence == 0


def test_members_observers_and_others_cannot_mark_meetings(world, six_of_nine):
    meeting = six_of_nine[0]
    for person in (world.mo, world.obi, world.nia, world.oli):
        response = world.client(person).post(
            reverse("meeting_facilitation", args=[meeting.pk]), {"facilitated": "0"}
        )
        assert response.status_code == 404
    anonymous = world.client(None).post(
        reverse("meeting_facilitation", args=[meeting.pk]), {"facilitated": "0"}
    )
    assert anonymous.status_code == 302 and "login" in anonymous.url
    meeting.refresh_from_db()
    assert meeting.facilitated


def test_members_of_a_self_facilitated_set_cannot_mark_either(world, six_of_nine):
    """They manage the set, but giving out a facilitator's time is the facilitator's or the
    programme's; and a self-facilitated set has no facilitated meetings to give."""
    world.aurora.self_facilitated = True
    world.aurora.save()
    url = reverse("meeting_facilitation", args=[six_of_nine[7].pk])
    assert world.client(world.mo).post(url, {"facilitated": "1"}).status_code == 404
    response = mark(world, world.pam, six_of_nine[7], "1")
    assert "Aurora is self-facilitated" in response.content.decode()


def test_bad_input_and_meetings_no_longer_to_come_are_refused(world, six_of_nine):
    meeting = six_of_nine[1]
    for value in ("", "yes", "\x00", "1; DROP TABLE"):
        html = mark(world, world.fran, meeting, value).content.decode()
        assert "Choose facilitated or self-facilitated." in html
    url = reverse("meeting_facilitation", args=[meeting.pk])
    assert world.client(world.fran).get(url).status_code == 405
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    html = mark(world, world.fran, meeting, "0").content.decode()
    assert "Only a meeting still to come can change who runs it." in html
    meeting.refresh_from_db()
    assert meeting.facilitated
    missing = world.client(world.fran).post(
        reverse("meeting_facilitation", args=[999999]), {"facilitated": "0"}
    )
    assert missing.status_code == 404


def test_each_meeting_says_who_runs_it_on_its_page_its_calendar_entry_and_room(world, six_of_nine):
    facilitated, own = six_of_nine[0], six_of_nine[7]
    page = world.client(world.mo).get(own.get_absolute_url()).content.decode()
    assert "Self-facilitated:" in page and "any member may take the chair" in page
    assert "Mark as" not in page  # members do not mark
    fran_page = world.client(world.fran).get(facilitated.get_absolute_url()).content.decode()
    assert "Facilitated:" in fran_page and "Mark as self-facilitated" in fran_page
    assert "6 of the set's 6 facilitated meetings are given out" in fran_page
    assert "Self-facilitated: the set runs this meeting itself" in description(own, "x")
    assert "Facilitated: the set's facilitator runs" in description(facilitated, "x")
    ics = world.client(world.mo).get(reverse("meeting_ics", args=[own.pk])).content.decode()
    assert "Self-facilitated" in ics.replace("\r\n ", "")
    room = world.client(world.mo).get(reverse("meeting_room", args=[own.pk])).content.decode()
    assert '<span class="badge">Self-facilitated</span>' in room


def test_in_a_self_facilitated_meeting_a_member_takes_the_chair_and_records_attendance(
    world, six_of_nine
):
    own = six_of_nine[7]
    Meeting.objects.filter(pk=own.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    own.refresh_from_db()
    room = open_room(own)
    assert room.chair_id is None  # nobody is put in the chair: a member takes it
    apply(own.pk, world.mo, "take_chair", {})
    assert Room.objects.get(meeting=own).chair == world.mo
    with pytest.raises(Refused, match="Observers"):
        apply(own.pk, world.obi, "take_chair", {})
    response = world.client(world.mo).post(
        reverse("meeting_attendance", args=[own.pk]), {f"status-{world.mo.pk}": "present"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=own, user=world.mo).status == "present"


def test_in_a_facilitated_meeting_a_member_still_cannot_take_the_chair(world, six_of_nine):
    facilitated = six_of_nine[0]
    Meeting.objects.filter(pk=facilitated.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    assert open_room(facilitated).chair_id == world.fran.pk
    with pytest.raises(Refused, match="Only a facilitator"):
        apply(facilitated.pk, world.mo, "take_chair", {})
    response = world.client(world.mo).post(
        reverse("meeting_attendance", args=[facilitated.pk]),
        {f"status-{world.mo.pk}": "present"},
    )
    assert response.status_code == 404


def test_the_programme_page_counts_the_allowance_used_per_set(world, six_of_nine):
    make_meeting(world.beacon, number=1, days=3)
    cancelled = make_meeting(world.beacon, number=2, days=10, status=Meeting.Status.CANCELLED)
    assert cancelled.facilitated
    html = world.client(world.pam).get(world.programme.get_absolute_url()).content.decode()
    assert "6 of 6 facilitated meetings used" in html  # Aurora
    assert "1 of 6 facilitated meetings used" in html  # Beacon: the cancelled one is not counted


def test_the_set_pages_schedule_says_which_meetings_the_set_runs_itself(world, six_of_nine):
    """Without a query per meeting: each meeting reads its set from the page, so the page's
    queries are the same with 9 meetings or 18."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("set_detail", args=[world.aurora.pk])
    client = world.client(world.mo)
    client.get(url)
    with CaptureQueriesContext(connection) as nine:
        html = client.get(url).content.decode()
    assert "One hour, one presenter · facilitated" in html
    assert html.count(", self-facilitated</span>") == 3
    for k in range(10, 19):
        make_meeting(world.aurora, number=k, days=7 * k, facilitated=False)
    with CaptureQueriesContext(connection) as eighteen:
        html = client.get(url).content.decode()
    assert html.count(", self-facilitated</span>") == 12
    assert len(eighteen) == len(nine)
