from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Attendance, Meeting, MeetingFormat

LONDON = ZoneInfo("Europe/London")


def one_hour():
    return MeetingFormat.objects.shipped().get(slug="one_hour")


def meeting_in(world, set_=None, days=7, number=1, **fields):
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return Meeting.objects.create(
        set=set_ or world.aurora,
        number=number,
        starts_at=start,
        time_zone="Europe/London",
        duration_minutes=60,
        format=one_hour(),
        place="Town Hall",
        **fields,
    )


def next_tuesday_in_a_year() -> datetime:
    day = (timezone.now() + timedelta(days=365)).astimezone(LONDON).date()
    return day + timedelta(days=(1 - day.weekday()) % 7)


def schedule_data(**overrides) -> dict:
    first = next_tuesday_in_a_year()
    data = {
        "first_date": first.isoformat(),
        "first_time": "10:00",
        "cadence": "weeks",
        "interval_weeks": "2",
        "count": "6",
        "duration_minutes": "60",
        "format": str(one_hour().pk),
        "place": "Room 4",
        "video_link": "",
    }
    data.update(overrides)
    return data


def test_shipped_formats_are_there_with_their_minutes(db):
    formats = {f.slug: f for f in MeetingFormat.objects.shipped()}
    assert set(formats) == {"one_hour", "half_day", "online_90", "taster"}
    assert formats["one_hour"].total_minutes == 60
    assert formats["taster"].total_minutes == 60
    assert formats["half_day"].presenters == 4
    assert formats["online_90"].total_minutes == 90


def test_preview_shows_the_dates_and_saves_nothing(world):
    response = world.client(world.fran).post(
        reverse("schedule_create", args=[world.aurora.pk]), {**schedule_data(), "preview": "1"}
    )
    assert response.status_code == 200
    assert len(response.context["form"].preview) == 6
    assert "Save 6 meetings" in response.content.decode()
    assert not Meeting.objects.exists()


def test_confirmed_schedule_saves_numbered_meetings_at_the_same_wall_clock_time(world):
    response = world.client(world.fran).post(
        reverse("schedule_create", args=[world.aurora.pk]),
        {**schedule_data(count="12", interval_weeks="4"), "confirm": "1"},
    )
    assert response.status_code == 302
    meetings = list(Meeting.objects.filter(set=world.aurora))
    assert [m.number for m in meetings] == list(range(1, 13))
    assert {timezone.localtime(m.starts_at, LONDON).strftime("%a %H:%M") for m in meetings} == {
        "Tue 10:00"
    }
    assert meetings[0].is_first
    # A year of monthly meetings crosses both changes of the clocks.
    assert len({m.starts_at.utcoffset() for m in meetings}) == 1  # stored as UTC
    assert len({m.starts_at.astimezone(LONDON).utcoffset() for m in meetings}) == 2


def test_monthly_schedule_on_the_second_tuesday(world):
    first = next_tuesday_in_a_year()
    while not 8 <= first.day <= 14:
        first += timedelta(weeks=1)
    world.client(world.fran).post(
        reverse("schedule_create", args=[world.aurora.pk]),
        {
            **schedule_data(first_date=first.isoformat(), cadence="monthly", count="4"),
            "confirm": "1",
        },
    )
    days = [timezone.localtime(m.starts_at, LONDON).date() for m in Meeting.objects.all()]
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)
    assert len({d.month for d in days}) == 4


def test_clashes_with_the_sets_own_meetings_are_flagged(world):
    existing = next_tuesday_in_a_year()
    Meeting.objects.create(
        set=world.aurora,
        number=1,
        starts_at=datetime.combine(
            existing, datetime.min.time().replace(hour=10, minute=30), LONDON
        ),
        time_zone="Europe/London",
        duration_minutes=60,
        format=one_hour(),
    )
    response = world.client(world.fran).post(
        reverse("schedule_create", args=[world.aurora.pk]), {**schedule_data(), "preview": "1"}
    )
    preview = response.context["form"].preview
    assert [bool(row["clashes"]) for row in preview] == [True, False, False, False, False, False]
    assert "Clashes with meeting 1" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_date": "2020-01-07"}, "The first meeting must be in the future."),
        ({"interval_weeks": "0"}, "Meetings must be at least one week apart."),
        ({"interval_weeks": "-3"}, "Meetings must be at least one week apart."),
        ({"count": "53"}, "Plan at most 52 meetings"),
        ({"video_link": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"video_link": "http://zoom.us/j/1"}, "starts with https://"),
        ({"first_date": "2027-02-30"}, "Enter a valid date."),
        ({"cadence": "fortnightly"}, "Select a valid choice."),
    ],
)
def test_bad_schedules_get_a_clear_message_and_save_nothing(world, overrides, message):
    response = world.client(world.fran).post(
        reverse("schedule_create", args=[world.aurora.pk]),
        {**schedule_data(**overrides), "confirm": "1"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_time_skipped_by_the_clocks_is_refused(world):
    year = timezone.now().year + 1
    last_sunday_of_march = max(
        datetime(year, 3, day) for day in range(25, 32) if datetime(year, 3, day).weekday() == 6
    )
    response = world.client(world.fran).post(
        reverse("schedule_create", args=[world.aurora.pk]),
        {
            **schedule_data(first_date=last_sunday_of_march.date().isoformat(), first_time="01:30"),
            "confirm": "1",
        },
    )
    assert "does not exist in Europe/London" in response.content.decode()
    assert not Meeting.objects.exists()


def test_schedule_starts_from_the_programmes_cadence_and_format(world):
    world.programme.cadence_weeks = 6
    world.programme.meeting_format = "half_day"
    world.programme.meeting_minutes = 210
    world.programme.save()
    form = (
        world.client(world.pam)
        .get(reverse("schedule_create", args=[world.aurora.pk]))
        .context["form"]
    )
    assert form.initial["interval_weeks"] == 6
    assert form.initial["format"].slug == "half_day"
    assert form.initial["duration_minutes"] == 210  # the programme's meeting length


def test_moving_one_meeting_leaves_the_rest_and_renumbers(world):
    first = meeting_in(world, days=7, number=1)
    second = meeting_in(world, days=14, number=2)
    second_start = second.starts_at
    later = timezone.localtime(first.starts_at + timedelta(days=10))
    response = world.client(world.fran).post(
        reverse("meeting_edit", args=[first.pk]),
        {
            "date": later.date().isoformat(),
            "time": later.strftime("%H:%M"),
            "duration_minutes": "90",
            "format": one_hour().pk,
            "place": "Room 9",
            "video_link": "https://meet.jit.si/aurora",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, second.number) == (2, 1)
    assert first.sequence >= 1 and second.sequence == 1
    assert first.place == "Room 9" and first.duration_minutes == 90
    assert second.starts_at == second_start


def test_moving_into_the_past_is_refused(world):
    meeting = meeting_in(world)
    response = world.client(world.fran).post(
        reverse("meeting_edit", args=[meeting.pk]),
        {"date": "2020-01-01", "time": "10:00", "duration_minutes": "60", "format": one_hour().pk},
    )
    assert "Choose a date and time in the future." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_cancel_keeps_the_meeting_for_calendars_and_renumbers_the_rest(world):
    first = meeting_in(world, days=7, number=1)
    second = meeting_in(world, days=14, number=2)
    response = world.client(world.fran).post(reverse("meeting_cancel", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled" and first.sequence == 1
    assert second.number == 1
    again = world.client(world.fran).post(reverse("meeting_cancel", args=[first.pk]), follow=True)
    assert "Only a scheduled meeting can be cancelled." in again.content.decode()


def test_add_a_single_meeting(world):
    when = timezone.localtime(timezone.now() + timedelta(days=3))
    response = world.client(world.pam).post(
        reverse("meeting_create", args=[world.aurora.pk]),
        {
            "date": when.date().isoformat(),
            "time": "15:00",
            "duration_minutes": "60",
            "format": one_hour().pk,
            "place": "Room 1",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get().number == 1


def test_member_sends_and_withdraws_apologies_with_a_note_the_set_sees(world):
    meeting = meeting_in(world)
    client = world.client(world.mo)
    client.post(
        reverse("meeting_apologies", args=[meeting.pk]),
        {"action": "send", "note": "Hospital appointment"},
    )
    record = Attendance.objects.get(meeting=meeting, user=world.mo)
    assert (record.status, record.note) == ("apologies", "Hospital appointment")
    assert (
        "Hospital appointment"
        in world.client(world.fran).get(meeting.get_absolute_url()).content.decode()
    )
    pam_page = world.client(world.pam).get(meeting.get_absolute_url()).content.decode()
    assert "Apologies" in pam_page and "Hospital appointment" not in pam_page
    client.post(reverse("meeting_apologies", args=[meeting.pk]), {"action": "withdraw"})
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_apologies_note_too_long_is_refused(world):
    meeting = meeting_in(world)
    response = world.client(world.mo).post(
        reverse("meeting_apologies", args=[meeting.pk]), {"note": "x" * 501}, follow=True
    )
    assert "under 500 characters" in response.content.decode()
    assert not Attendance.objects.exists()


def test_apologies_after_the_meeting_are_refused(world):
    meeting = meeting_in(world, days=-7)
    response = world.client(world.mo).post(
        reverse("meeting_apologies", args=[meeting.pk]), {"note": ""}, follow=True
    )
    assert "Apologies are sent before a meeting starts; this one is over." in response.text
    assert not Attendance.objects.exists()


def test_facilitator_records_attendance_after_the_start_and_the_set_page_shows_the_record(world):
    meeting = meeting_in(world, days=-7)
    Attendance.objects.create(meeting=meeting, user=world.mo, status="apologies", note="Away")
    response = world.client(world.fran).post(
        reverse("meeting_attendance", args=[meeting.pk]),
        {
            f"status-{world.fran.pk}": "present",
            f"status-{world.mo.pk}": "apologies",
            f"status-{world.obi.pk}": "absent",
        },
    )
    assert response.status_code == 302
    statuses = dict(Attendance.objects.values_list("user__email", "status"))
    assert statuses == {
        world.fran.email: "present",
        world.mo.email: "apologies",
        world.obi.email: "absent",
    }
    assert Attendance.objects.get(user=world.mo).note == "Away"
    page = (
        world.client(world.pam).get(reverse("set_detail", args=[world.aurora.pk])).content.decode()
    )
    assert "Attendance so far" in page
    assert "1/1" in page and "0/1" in page


def test_attendance_before_the_start_or_with_a_bad_status_is_refused(world):
    future = meeting_in(world)
    response = world.client(world.fran).post(
        reverse("meeting_attendance", args=[future.pk]),
        {f"status-{world.mo.pk}": "present"},
        follow=True,
    )
    assert "once the meeting has started" in response.content.decode()
    past = meeting_in(world, days=-1)
    response = world.client(world.fran).post(
        reverse("meeting_attendance", args=[past.pk]),
        {f"status-{world.mo.pk}": "asleep"},
        follow=True,
    )
    assert "Choose present, apologies or absent" in response.content.decode()
    assert not Attendance.objects.exists()


def test_set_page_shows_the_next_meeting_prominently(world):
    meeting_in(world, days=-14, number=1, status="closed")
    upcoming = meeting_in(world, days=2, number=2, video_link="https://meet.jit.si/aurora")
    meeting_in(world, days=30, number=3)
    html = (
        world.client(world.mo).get(reverse("set_detail", args=[world.aurora.pk])).content.decode()
    )
    assert "Next meeting" in html
    assert timezone.localtime(upcoming.starts_at, LONDON).strftime("%-d %B") in html
    assert "Join the video call" in html
    assert "After that" in html


def test_dashboard_shows_next_meetings_across_sets(world, django_assert_max_num_queries):
    from revans.sets.models import Membership

    Membership.objects.create(set=world.beacon, user=world.mo)
    meeting_in(world, days=2)
    meeting_in(world, set_=world.beacon, days=5)
    client = world.client(world.mo)
    # Learning-log work waiting on the dashboard costs a fixed three queries (core tests),
    # and so do the surveys waiting (evaluation tests); one more finds sets open to join, and
    # one the facilitators' programmes a person trains in; and, as these are first meetings,
    # one whether the member has answered the expectations questionnaire.
    with django_assert_max_num_queries(19):
        html = client.get(reverse("dashboard")).content.decode()
    assert "Coming up" in html
    assert html.count("Next meeting:") == 2


def test_set_page_query_count_does_not_grow_with_meetings(world, django_assert_max_num_queries):
    """Guards against N+1 queries as a set's schedule and attendance grow."""
    for days in range(-60, 60, 7):
        meeting = meeting_in(world, days=days)
        Attendance.objects.create(meeting=meeting, user=world.mo, status="present")
    client = world.client(world.fran)
    # 15: the set page also shows the open date polls and how many answered their expectations.
    with django_assert_max_num_queries(15):
        assert client.get(reverse("set_detail", args=[world.aurora.pk])).status_code == 200


def test_facilitator_copies_a_format_and_changes_its_minutes(world):
    source = one_hour()
    url = reverse("format_copy", args=[world.aurora.pk, source.pk])
    form = world.client(world.fran).get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update({"name": "Aurora's hour", "phase-0": "10", "phase-3-questions": "25"})
    response = world.client(world.fran).post(url, data)
    assert response.status_code == 302
    copy = MeetingFormat.objects.get(set=world.aurora)
    assert copy.copied_from == source
    assert copy.phases[0]["minutes"] == 10
    assert copy.phases[3]["minutes"] == 40 and copy.phases[3]["stages"]["questions"] == 25
    assert source.phases[0]["minutes"] == 5  # the shipped one is untouched
    assert (
        copy
        in world.client(world.fran)
        .get(reverse("schedule_create", args=[world.aurora.pk]))
        .context["form"]
        .fields["format"]
        .queryset
    )


def test_format_with_no_minutes_or_too_many_is_refused(world):
    source = one_hour()
    url = reverse("format_copy", args=[world.aurora.pk, source.pk])
    zero = {"name": "Nothing", "presenters": "1"}
    zero.update(
        {
            name: "0"
            for name in world.client(world.fran).get(url).context["form"].fields
            if name.startswith("phase")
        }
    )
    assert (
        "at least one phase some minutes"
        in world.client(world.fran).post(url, zero).content.decode()
    )
    huge = {**zero, "phase-0": "240", "phase-1": "240", "phase-2": "240"}
    assert "keep a meeting within 480" in world.client(world.fran).post(url, huge).content.decode()
    assert not MeetingFormat.objects.filter(set=world.aurora).exists()


def test_another_sets_format_cannot_be_copied_or_edited(world):
    theirs = MeetingFormat.objects.create(
        set=world.beacon, name="Beacon's", phases=one_hour().phases
    )
    client = world.client(world.fran)
    assert client.get(reverse("format_copy", args=[world.aurora.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("format_edit", args=[world.aurora.pk, theirs.pk])).status_code == 404
    assert (
        client.get(reverse("format_edit", args=[world.aurora.pk, one_hour().pk])).status_code == 404
    )


def test_a_meeting_that_would_end_past_the_calendar_is_refused_not_a_crash(world):
    response = world.client(world.pam).post(
        reverse("meeting_create", args=[world.aurora.pk]),
        {
            "date": "9999-12-31",
            "time": "23:30",
            "duration_minutes": "240",
            "format": one_hour().pk,
        },
    )
    assert response.status_code == 200
    assert "past the end of the calendar" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_new_sets_first_meeting_can_be_a_taster(world):
    response = world.client(world.fran).post(
        reverse("schedule_create", args=[world.aurora.pk]),
        {**schedule_data(count="3"), "taster": "on", "confirm": "1"},
    )
    assert response.status_code == 302
    formats = list(Meeting.objects.order_by("number").values_list("number", "format__slug"))
    assert formats == [(1, "taster"), (2, "one_hour"), (3, "one_hour")]
    # Once the set has meetings the choice is gone: a later run never makes a second taster.
    page = world.client(world.fran).get(reverse("schedule_create", args=[world.aurora.pk]))
    assert "taster" not in page.context["form"].fields
    assert (
        b'value="' + str(MeetingFormat.objects.get(slug="taster", set=None).pk).encode()
        not in (page.content.split(b'name="format"')[1].split(b"</select>")[0])
    )
    world.client(world.fran).post(
        reverse("schedule_create", args=[world.aurora.pk]),
        {**schedule_data(count="1", first_date="2031-03-04"), "taster": "on", "confirm": "1"},
    )
    assert Meeting.objects.filter(format__slug="taster").count() == 1
