"""Surveys are always offered to a set's members (in a programme or standing alone) and always
optional: the set page and the dashboard say what waits."""

from datetime import timedelta
from html import unescape

from django.urls import reverse
from django.utils import timezone

from revans.evaluation.models import Response, Survey
from revans.evaluation.offers import waiting_for
from revans.meetings.testing import make_meeting
from revans.sets.models import Membership, Set


def text(response) -> str:
    return unescape(response.content.decode())


def test_a_member_is_offered_the_start_survey_on_the_set_page(world):
    page = text(world.client(world.mo).get(world.aurora.get_absolute_url()))
    assert "Start survey" in page and "Not now" in page
    assert "End survey" not in page


def test_a_standalone_set_offers_its_surveys_too(world):
    alone = Set.objects.create(name="Solo", status="active", place="Library")
    Membership.objects.create(set=alone, user=world.nia)
    page = text(world.client(world.nia).get(alone.get_absolute_url()))
    assert "Start survey" in page


def test_nobody_but_members_is_offered_a_survey(world):
    for person in (world.fran, world.obi, world.pam):
        page = text(world.client(person).get(world.aurora.get_absolute_url()))
        assert "Start survey" not in page and 'id="surveys"' not in page


def test_the_end_survey_is_offered_when_the_last_meeting_is_near_or_the_set_closed(world):
    mo = world.mo_in_aurora
    make_meeting(world.aurora, 1, days=-60)
    last = make_meeting(world.aurora, 2, days=30)
    [item] = waiting_for([mo])
    assert item.start and not item.end
    last.starts_at = timezone.now() + timedelta(days=10)
    last.save()
    [item] = waiting_for([mo])
    assert item.end
    assert "End survey" in text(world.client(world.mo).get(world.aurora.get_absolute_url()))


def test_a_set_that_planned_only_its_first_meeting_is_not_ending(world):
    make_meeting(world.aurora, 1, days=3)
    [item] = waiting_for([world.mo_in_aurora])
    assert not item.end


def test_a_closed_set_offers_the_end_survey_and_no_longer_the_start(world):
    Set.objects.filter(pk=world.aurora.pk).update(status=Set.Status.CLOSED)
    world.mo_in_aurora.set.refresh_from_db()
    [item] = waiting_for([world.mo_in_aurora])
    assert item.end and not item.start


def test_answered_or_put_off_surveys_stop_waiting(world):
    Response.objects.create(user=world.mo, set=world.aurora, survey=Survey.START, skipped=True)
    [item] = waiting_for([world.mo_in_aurora])
    assert not item.start and not item.any


def test_waiting_reads_a_few_queries_however_many_sets(world, django_assert_num_queries):
    """Guards against one query per set on the dashboard."""
    for k in range(5):
        other = Set.objects.create(name=f"S{k}", status="active", place="Here")
        Membership.objects.create(set=other, user=world.mo)
        make_meeting(other, 1, days=-1)
    memberships = list(Membership.objects.filter(user=world.mo).select_related("set"))
    with django_assert_num_queries(3):
        items = waiting_for(memberships)
    assert len(items) == 6 and sum(1 for i in items if i.pulse) == 5


def test_the_dashboard_lists_what_waits(world):
    make_meeting(world.aurora, 1, days=-1, status="closed")
    page = text(world.client(world.mo).get(reverse("dashboard")))
    assert "Start survey" in page and "How was meeting 1?" in page
    page = text(world.client(world.fran).get(reverse("dashboard")))
    assert "Start survey" not in page
