"""The set page lists the set's actions and their history, for the people in the set only."""

import pytest
from django.urls import reverse

from revans.actions.models import Action

from .conftest import make_meeting


def set_page(world, who, set_=None) -> str:
    url = reverse("set_detail", args=[(set_ or world.aurora).pk])
    response = world.client(who).get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["mo", "obi", "fran"])
def test_people_in_the_set_see_who_committed_what_and_what_came_of_it(world, history, who):
    html = set_page(world, getattr(world, who))
    assert 'id="set-actions"' in html
    assert "<strong>Mo:</strong> Meet both team leaders together" in html
    assert "<strong>Fran:</strong> Read up on rota design" in html
    assert "<strong>Mo:</strong> Call Sam about the rota" in html
    assert "Partly done" in html
    assert "Sam is on leave until May" in html
    assert (
        f'Reported at <a href="{history["called"].reported_in.get_absolute_url()}">meeting 2'
        in html
    )


def test_actions_are_listed_newest_meeting_first(world, history):
    html = set_page(world, world.mo)
    section = html[html.index('id="set-actions"') :]
    assert section.index("Meeting 2") < section.index("Meeting 1")
    assert section.index("Meet both team leaders") < section.index("Call Sam about the rota")


def test_another_sets_actions_are_not_listed(world, history):
    assert "The Beacon plan" not in set_page(world, world.mo)
    assert "Meet both team leaders" not in set_page(world, world.oli, world.beacon)
    assert "The Beacon plan" in set_page(world, world.oli, world.beacon)


def test_programme_manager_never_sees_the_sets_actions(world, history):
    html = set_page(world, world.pam)
    assert 'id="set-actions"' not in html
    for words in ("Meet both team leaders", "Read up on rota", "Call Sam", "Sam is on leave"):
        assert words not in html, words


def test_a_set_without_actions_says_how_they_are_made(world):
    html = set_page(world, world.mo)
    assert 'id="set-actions"' in html
    assert "No actions yet" in html


def test_set_page_query_count_does_not_grow_with_actions(
    world, history, django_assert_max_num_queries
):
    """Guards against N+1 queries as the set's actions and meetings grow."""
    client = world.client(world.fran)
    url = reverse("set_detail", args=[world.aurora.pk])
    client.get(url)
    for number in range(3, 10):
        meeting = make_meeting(world.aurora, number, days=-number)
        for owner in (world.mo, world.fran):
            Action.objects.create(
                set=world.aurora,
                owner=owner,
                text=f"Action at {number}",
                committed_in=meeting,
                status=Action.Status.DONE,
                reported_in=history["first"],
            )
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
