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
