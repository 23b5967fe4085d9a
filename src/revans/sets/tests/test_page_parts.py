"""Pages made of parts from the apps above them (``core.parts``): the set page's schedule and
actions, the programme page's cohort."""

from revans.actions.views import set_page_actions
from revans.core.parts import PageParts
from revans.formation.views import programme_cohort
from revans.meetings.summary import schedule_context
from revans.programmes.page import programme_page
from revans.sets.access import set_access
from revans.sets.page import set_page


def test_each_app_adds_its_parts_once():
    assert set_page.parts.count(schedule_context) == 1
    assert set_page.parts.count(set_page_actions) == 1
    assert programme_page.parts == [programme_cohort]


def test_a_part_registered_twice_counts_once_and_parts_add_in_order():
    page: PageParts[[int]] = PageParts()
    first = page.register(lambda n: {"n": n, "first": True})
    page.register(lambda n: {"n": n * 2})
    page.register(first)
    assert page.context(3) == {"n": 6, "first": True}


def test_the_actions_part_is_only_for_people_in_the_set(world):
    def parts(user):
        access = set_access(user, world.aurora.pk)
        return set_page.context(user, world.aurora, access, list(world.aurora.memberships.all()))

    assert "actions" in parts(world.mo)
    manager = parts(world.pam)
    assert "actions" not in manager and "next_meeting" in manager  # dates, never content


def test_the_programme_page_has_its_cohort_part(world):
    assert programme_page.context(world.programme) == {"cohort": None}
