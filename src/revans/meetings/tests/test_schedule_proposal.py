"""A set in a programme gets its schedule proposed from the programme: from its start to its
end, at its cadence, format and meeting length, the first meetings facilitated while the
set's allowance lasts; the person changes anything before saving."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Meeting
from revans.meetings.schedule import count_until
from revans.meetings.testing import make_meeting


@pytest.fixture
def council_year(world):
    """Leading Change as the council leadership template makes it, starting in a month."""
    programme = world.programme
    programme.starts_on = timezone.localdate() + timedelta(days=30)
    programme.ends_on = programme.starts_on + timedelta(weeks=52)
    programme.cadence_weeks = 6
    programme.meeting_format = "half_day"
    programme.meeting_minutes = 240
    programme.facilitated_meetings = 6
    programme.save()
    return programme


def open_schedule(world, who=None, set_=None):
    url = reverse("schedule_create", args=[(set_ or world.aurora).pk])
    return world.client(who or world.fran).get(url)


def test_count_until():
    start = date(2027, 1, 1)
    assert count_until(start, start + timedelta(weeks=52), 6) == 9
    assert count_until(start, start, 6) == 1
    assert count_until(start, start - timedelta(days=1), 6) == 0
    assert count_until(start, start + timedelta(weeks=600), 1) == 52


def test_the_schedule_opens_on_dates_from_the_programmes_start_to_its_end(world, council_year):
    response = open_schedule(world)
    proposal = response.context["proposal"]
    assert proposal["first"] == council_year.starts_on
    assert proposal["count"] == 9
    form = response.context["form"]
    assert [timezone.localtime(row["starts_at"]).date() for row in form.preview] == [
        council_year.starts_on + timedelta(weeks=6 * k) for k in range(9)
    ]
    assert form.cleaned_data["duration_minutes"] == 240
    assert form.cleaned_data["format"].slug == "half_day"
    html = response.content.decode()
    assert "Proposed from the programme Leading Change: 9 meetings every 6 weeks" in html
    assert "6 facilitated, 3 run by the set itself." in html
    assert [row["facilitated"] for row in form.preview] == [True] * 6 + [False] * 3


def test_the_person_changes_the_proposal_before_saving(world, council_year):
    first = council_year.starts_on + timedelta(days=2)
    data = {
        "first_date": first.isoformat(),
        "first_time": "14:00",
        "cadence": "weeks",
        "interval_weeks": "6",
        "count": "8",
        "duration_minutes": "210",
        "format": open_schedule(world).context["form"].cleaned_data["format"].pk,
        "place": "Town Hall",
        "video_link": "",
        "confirm": "1",
    }
    response = world.client(world.pam).post(
        reverse("schedule_create", args=[world.aurora.pk]), data
    )
    assert response.status_code == 302
    meetings = list(Meeting.objects.filter(set=world.aurora).order_by("number"))
    assert len(meetings) == 8
    assert timezone.localtime(meetings[0].starts_at).date() == first
    assert {m.duration_minutes for m in meetings} == {210}
    assert [m.facilitated for m in meetings] == [True] * 6 + [False] * 2


def test_a_programme_already_under_way_proposes_from_tomorrow(world, council_year):
    council_year.starts_on = timezone.localdate() - timedelta(weeks=10)
    council_year.save()
    proposal = open_schedule(world).context["proposal"]
    assert proposal["first"] == timezone.localdate() + timedelta(days=1)


def test_a_set_with_meetings_is_proposed_the_rest_and_the_allowance_left(world, council_year):
    last = make_meeting(world.aurora, number=1, days=40)
    for k in range(2, 6):
        make_meeting(world.aurora, number=k, days=40 - k)  # five facilitated so far
    response = open_schedule(world)
    proposal = response.context["proposal"]
    assert proposal["first"] == timezone.localtime(last.starts_at).date() + timedelta(weeks=6)
    flags = [row["facilitated"] for row in response.context["form"].preview]
    assert flags[0] is True and not any(flags[1:])


def test_no_proposal_when_the_programme_is_over_or_the_set_stands_alone(world, council_year):
    council_year.starts_on = timezone.localdate() - timedelta(weeks=60)
    council_year.ends_on = timezone.localdate() - timedelta(weeks=8)
    council_year.save()
    response = open_schedule(world)
    assert response.context["proposal"] is None
    assert not response.context["form"].is_bound
    world.aurora.programme = None
    world.aurora.save()
    response = open_schedule(world)
    assert response.context["proposal"] is None
    assert "Proposed from the programme" not in response.content.decode()


def test_a_self_facilitated_set_is_proposed_meetings_it_runs_itself(world, council_year):
    world.aurora.self_facilitated = True
    world.aurora.save()
    response = open_schedule(world, who=world.mo)
    form = response.context["form"]
    assert form.preview and not any(row["facilitated"] for row in form.preview)
    html = response.content.decode()
    assert "The set runs them itself." in html
    assert "all given out" not in html


def test_a_set_whose_allowance_is_used_is_told_so(world, council_year):
    for k in range(1, 7):
        make_meeting(world.aurora, number=k, days=k)
    html = open_schedule(world).content.decode()
    assert "The set runs them itself: its facilitated meetings are all given out." in html


def test_only_those_who_manage_the_set_see_the_proposal(world, council_year):
    for person in (world.mo, world.obi, world.nia, world.oli):
        assert open_schedule(world, who=person).status_code == 404
    assert open_schedule(world, who=world.pam).status_code == 200


def test_the_proposed_schedule_of_a_new_set_runs_meeting_1_as_a_taster(world):
    world.programme.starts_on = timezone.localdate() + timedelta(days=30)
    world.programme.ends_on = timezone.localdate() + timedelta(days=200)
    world.programme.save()
    form = (
        world.client(world.fran)
        .get(reverse("schedule_create", args=[world.aurora.pk]))
        .context["form"]
    )
    assert form.is_bound and form.cleaned_data["taster"] is True
    assert form.preview[0]["taster"] and not form.preview[1]["taster"]
