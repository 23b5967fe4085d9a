"""A taster's "next dates" phase in the live room shows the set's open polls and next meetings
(a part from polls), to the people in the set only."""

from django.urls import reverse
from django.utils import timezone

from revans.meetings.testing import make_meeting

from .test_polls_views import poll  # noqa: F401  (the fixture)


def test_the_tasters_dates_phase_shows_the_open_poll_and_the_way_to_propose(world, poll):  # noqa: F811
    meeting = make_meeting(world.aurora, 1, shape="taster")
    page = world.client(world.mo).get(reverse("meeting_room", args=[meeting.pk]))
    content = page.content.decode()
    assert 'data-room-phases="dates"' in content
    assert poll.title in content and poll.get_absolute_url() in content
    assert reverse("poll_create", args=[world.aurora.pk]) in content
    # An observer sees the poll but proposes none.
    observer = world.client(world.obi).get(reverse("meeting_room", args=[meeting.pk]))
    assert poll.title in observer.content.decode()
    assert reverse("poll_create", args=[world.aurora.pk]) not in observer.content.decode()


def test_an_ordinary_meeting_has_no_dates_phase(world, poll):  # noqa: F811
    meeting = make_meeting(world.aurora, 2)
    content = world.client(world.mo).get(reverse("meeting_room", args=[meeting.pk])).content
    assert b'data-room-phases="dates"' not in content and poll.title.encode() not in content


def test_a_poll_whose_times_have_all_passed_is_no_longer_offered(world, poll):  # noqa: F811
    from datetime import timedelta

    from revans.polls.models import Slot

    for n, slot in enumerate(Slot.objects.filter(poll=poll)):
        Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(days=1 + n))
    set_page = world.client(world.mo).get(world.aurora.get_absolute_url()).content.decode()
    assert poll.title not in set_page
    room = world.client(world.mo).get(
        reverse("meeting_room", args=[make_meeting(world.aurora, 1, shape="taster").pk])
    )
    assert poll.title not in room.content.decode()
    page = world.client(world.fran).get(poll.get_absolute_url()).content.decode()
    assert "Every time in this poll has passed. Close it" in page
    assert "Choose this time" not in page
