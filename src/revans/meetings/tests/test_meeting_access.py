"""``Meeting.objects.with_content_for``: whose meetings' content a person may see (architecture.md §4)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from revans.meetings.models import Meeting, MeetingFormat


@pytest.fixture
def aurora_meeting(world) -> Meeting:
    return Meeting.objects.create(
        set=world.aurora,
        number=1,
        starts_at=timezone.now() + timedelta(days=7),
        time_zone="Europe/London",
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
    )


@pytest.mark.parametrize("who", ["mo", "obi", "fran"])
def test_member_observer_and_facilitator_see_their_sets_meeting_content(world, aurora_meeting, who):
    person = getattr(world, who)
    assert list(Meeting.objects.with_content_for(person)) == [aurora_meeting]
    assert aurora_meeting.membership_of(person).user == person


@pytest.mark.parametrize("who", ["pam", "gus", "nia"])
def test_programme_manager_and_outsiders_do_not(world, aurora_meeting, who):
    person = getattr(world, who)
    assert not Meeting.objects.with_content_for(person).exists()
    assert aurora_meeting.membership_of(person) is None


def test_programme_manager_still_sees_the_meeting_date(world, aurora_meeting):
    assert list(Meeting.objects.visible_to(world.pam)) == [aurora_meeting]


def test_anonymous_sees_no_meeting_content(world, aurora_meeting):
    assert not Meeting.objects.with_content_for(AnonymousUser()).exists()
    assert aurora_meeting.membership_of(AnonymousUser()) is None


def test_opening_a_meeting_left_open_writes_nothing_and_shows_it_ended(world, aurora_meeting):
    """Reads never write: the page shows a meeting left open past its end as ended, and leaves
    closing it (and its summary) to the background sweep."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    long_ago = timezone.now() - timedelta(hours=4)
    Meeting.objects.filter(pk=aurora_meeting.pk).update(starts_at=long_ago, status="live")
    client = world.client(world.mo)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("meeting_detail", args=[aurora_meeting.pk]))
    assert page.status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []
    assert Meeting.objects.get(pk=aurora_meeting.pk).status == "live"
    html = page.content.decode()
    assert ">Ended</span>" in html
    assert reverse("meeting_room", args=[aurora_meeting.pk]) not in html


def test_a_meeting_within_its_grace_period_is_not_overdue(world, aurora_meeting):
    aurora_meeting.starts_at = timezone.now() - timedelta(minutes=90)  # ended 30 minutes ago
    aurora_meeting.status = "live"
    assert aurora_meeting.is_past and not aurora_meeting.is_overdue
    assert aurora_meeting.shown_status == "Live"
    aurora_meeting.status = "closed"
    aurora_meeting.starts_at = timezone.now() - timedelta(days=1)
    assert not aurora_meeting.is_overdue and aurora_meeting.shown_status == "Closed"
