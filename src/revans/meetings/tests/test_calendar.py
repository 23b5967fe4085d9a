"""Calendar feeds and .ics downloads: what is served is parsed back with icalendar."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from revans.meetings.calendar import calendar_for
from revans.meetings.models import Meeting, MeetingFormat

LONDON = ZoneInfo("Europe/London")


def make_meeting(set_, number: int, starts_at: datetime, **fields) -> Meeting:
    fields.setdefault("place", set_.place)
    fields.setdefault("video_link", set_.video_link)
    return Meeting.objects.create(
        set=set_,
        number=number,
        starts_at=starts_at,
        time_zone="Europe/London",
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
        **fields,
    )


def feed_url(user) -> str:
    return reverse("calendar_feed", args=[user.calendar_token])


def events_by_uid(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def aurora_meetings(world) -> list[Meeting]:
    return [
        make_meeting(world.aurora, 1, datetime(2027, 1, 12, 10, 0, tzinfo=LONDON)),
        make_meeting(world.aurora, 2, datetime(2027, 6, 8, 10, 0, tzinfo=LONDON)),
    ]


@pytest.fixture
def beacon_meeting(world) -> Meeting:
    return make_meeting(world.beacon, 1, datetime(2027, 1, 19, 14, 0, tzinfo=LONDON))


# The feed


def test_feed_is_a_calendar_anyone_with_the_address_can_read(world, aurora_meetings):
    response = Client().get(feed_url(world.mo))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert calendar["PRODID"] == "-//Revans//Revans//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"]
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)


def test_feed_lists_only_the_sets_the_owner_belongs_to(world, aurora_meetings, beacon_meeting):
    aurora_uids = {f"{m.uid}@revans" for m in aurora_meetings}
    beacon_uid = f"{beacon_meeting.uid}@revans"
    for person in (world.mo, world.fran, world.obi):
        assert set(events_by_uid(Client().get(feed_url(person)))) == aurora_uids
    assert set(events_by_uid(Client().get(feed_url(world.oli)))) == {beacon_uid}


def test_programme_manager_and_person_in_no_set_get_an_empty_feed(world, aurora_meetings):
    for person in (world.pam, world.nia):
        response = Client().get(feed_url(person))
        assert response.status_code == 200
        assert events_by_uid(response) == {}


def test_event_carries_the_meeting_details(world, aurora_meetings):
    first, second = aurora_meetings
    events = events_by_uid(Client().get(feed_url(world.mo)))
    event = events[f"{first.uid}@revans"]
    assert str(event["SUMMARY"]) == "Aurora – meeting 1 (first meeting: ground rules)"
    assert str(events[f"{second.uid}@revans"]["SUMMARY"]) == "Aurora – meeting 2"
    assert event.decoded("DTSTART") == datetime(2027, 1, 12, 10, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2027, 1, 12, 11, 0, tzinfo=UTC)
    # British Summer Time: 10:00 in London is 09:00 UTC.
    assert events[f"{second.uid}@revans"].decoded("DTSTART") == datetime(
        2027, 6, 8, 9, 0, tzinfo=UTC
    )
    assert event.decoded("DTSTART").tzinfo.utcoffset(None) == timedelta(0)
    assert str(event["LOCATION"]) == "Town Hall"
    assert "URL" not in event
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("LAST-MODIFIED") == first.updated_at.astimezone(UTC).replace(microsecond=0)
    description = str(event["DESCRIPTION"])
    assert "http://testserver" + reverse("meeting_detail", args=[first.pk]) in description
    assert "ground rules" in description


def test_online_meeting_has_its_link_as_location_and_url(world, beacon_meeting):
    event = events_by_uid(Client().get(feed_url(world.oli)))[f"{beacon_meeting.uid}@revans"]
    assert str(event["LOCATION"]) == "https://meet.jit.si/beacon"
    assert str(event["URL"]) == "https://meet.jit.si/beacon"
    assert "Video call: https://meet.jit.si/beacon" in str(event["DESCRIPTION"])


def test_moved_meeting_keeps_its_uid_and_its_sequence_goes_up(world, aurora_meetings):
    meeting = aurora_meetings[1]
    uid = f"{meeting.uid}@revans"
    before = events_by_uid(Client().get(feed_url(world.mo)))[uid]

    meeting.starts_at += timedelta(days=7)
    meeting.sequence += 1
    meeting.save()

    after = events_by_uid(Client().get(feed_url(world.mo)))[uid]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + timedelta(days=7)


def test_cancelled_meeting_stays_in_the_feed_as_cancelled(world, aurora_meetings):
    meeting = aurora_meetings[1]
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save()

    events = events_by_uid(Client().get(feed_url(world.mo)))
    event = events[f"{meeting.uid}@revans"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "cancelled" in str(event["DESCRIPTION"])
    assert str(events[f"{aurora_meetings[0].uid}@revans"]["STATUS"]) == "CONFIRMED"


def test_unknown_token_gets_404(world):
    assert Client().get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404


def test_feed_of_a_deactivated_person_gets_404(world, aurora_meetings):
    world.mo.is_active = False
    world.mo.save()
    assert Client().get(feed_url(world.mo)).status_code == 404


def test_feed_queries_do_not_grow_with_meetings(world, django_assert_max_num_queries):
    """Guards against N+1: one query for the person, one for their meetings and sets."""
    make_meeting(world.aurora, 1, datetime(2027, 1, 12, 10, 0, tzinfo=LONDON))
    with CaptureQueriesContext(connection) as few:
        Client().get(feed_url(world.mo))
    for number in range(2, 22):
        starts_at = datetime(2027, 1, 12, 10, 0, tzinfo=LONDON) + timedelta(weeks=number)
        make_meeting(world.aurora, number, starts_at)
    with django_assert_max_num_queries(2):
        response = Client().get(feed_url(world.mo))
    assert len(events_by_uid(response)) == 21
    with CaptureQueriesContext(connection) as many:
        Client().get(feed_url(world.mo))
    assert len(many) == len(few)


def test_feed_is_well_formed_rfc_5545(world, aurora_meetings, beacon_meeting):
    aurora_meetings[0].place = "The Council Chamber, " + "Merseyvale Town Hall, " * 10
    aurora_meetings[0].save()
    world.beacon.memberships.create(user=world.mo)
    content = Client().get(feed_url(world.mo)).content

    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert content.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")  # every line ends with CRLF
    lines = content.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # long lines are folded...
    assert any(line.startswith(b" ") for line in lines)
    events = Calendar.from_ical(content).walk("VEVENT")
    assert len(events) == 3
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS"):
            assert required in event
        assert event.decoded("DTSTAMP").tzinfo.utcoffset(None) == timedelta(0)
    # ...and unfold back to the whole text.
    long_one = next(e for e in events if str(e["UID"]) == f"{aurora_meetings[0].uid}@revans")
    assert str(long_one["LOCATION"]) == aurora_meetings[0].place.strip()


def test_calendar_for_needs_no_queries(world, aurora_meetings, django_assert_num_queries):
    meetings = list(Meeting.objects.select_related("set"))
    with django_assert_num_queries(0):
        content = calendar_for(meetings, "Test", lambda m: f"https://example.org/{m.pk}")
    assert len(Calendar.from_ical(content).walk("VEVENT")) == 2


# A single meeting's .ics


@pytest.mark.parametrize("key", ["mo", "fran", "obi", "pam"])
def test_people_who_see_the_set_dates_can_download_a_meeting(world, aurora_meetings, key):
    meeting = aurora_meetings[1]
    response = world.client(getattr(world, key)).get(reverse("meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aurora-meeting-2.ics"'
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@revans"
    assert str(event["SUMMARY"]) == "Aurora – meeting 2"
    assert "REFRESH-INTERVAL" not in Calendar.from_ical(response.content)


@pytest.mark.parametrize("key", ["nia", "oli"])
def test_people_outside_the_set_get_404_for_a_meeting(world, aurora_meetings, key):
    url = reverse("meeting_ics", args=[aurora_meetings[0].pk])
    assert world.client(getattr(world, key)).get(url).status_code == 404


def test_missing_meeting_gets_404(world):
    url = reverse("meeting_ics", args=[999_999])
    assert world.client(world.mo).get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in_for_a_meeting(world, aurora_meetings):
    response = Client().get(reverse("meeting_ics", args=[aurora_meetings[0].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# Settings and reset


def test_settings_page_shows_the_private_address(world):
    response = world.client(world.mo).get(reverse("calendar_settings"))
    assert response.status_code == 200
    html = response.content.decode()
    address = "http://testserver" + feed_url(world.mo)
    assert f'value="{address}"' in html
    assert '<label for="feed-url">' in html
    assert "readonly" in html
    for app in ("From URL", "Subscribe from web", "New Calendar Subscription"):
        assert app in html
    assert reverse("calendar_reset") in html


def test_anonymous_is_sent_to_sign_in_for_settings(world):
    for url in (reverse("calendar_settings"), reverse("calendar_reset")):
        response = Client().post(url) if url.endswith("reset/") else Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_reset_turns_the_old_address_off(world, aurora_meetings):
    old_url = feed_url(world.mo)
    client = world.client(world.mo)
    response = client.post(reverse("calendar_reset"))
    assert response.status_code == 302
    assert response.url == reverse("calendar_settings")
    assert [str(m) for m in get_messages(response.wsgi_request)]

    world.mo.refresh_from_db()
    assert feed_url(world.mo) != old_url
    assert Client().get(old_url).status_code == 404
    new = Client().get(feed_url(world.mo))
    assert new.status_code == 200
    assert len(events_by_uid(new)) == 2
    assert feed_url(world.mo) in client.get(reverse("calendar_settings")).content.decode()


def test_reset_refuses_get(world):
    token = world.mo.calendar_token
    response = world.client(world.mo).get(reverse("calendar_reset"))
    assert response.status_code == 405
    world.mo.refresh_from_db()
    assert world.mo.calendar_token == token
