"""The set page's parts from the apps above sets (``sets.page``)."""

from revans.actions.views import set_page_actions
from revans.meetings.summary import schedule_context
from revans.sets import page
from revans.sets.access import set_access


def test_meetings_and_actions_add_their_parts_once():
    assert page._parts.count(schedule_context) == 1
    assert page._parts.count(set_page_actions) == 1
    page.register(schedule_context)  # registering again changes nothing
    assert page._parts.count(schedule_context) == 1


def test_the_actions_part_is_only_for_people_in_the_set(world):
    def parts(user):
        access = set_access(user, world.aurora.pk)
        return page.context(user, world.aurora, access, list(world.aurora.memberships.all()))

    assert "actions" in parts(world.mo)
    manager = parts(world.pam)
    assert "actions" not in manager and "next_meeting" in manager  # dates, never content
