import pytest
from django.urls import reverse

from revans.sets.models import GroundRules, Issue, Membership, Set


def test_dashboard_lists_my_sets_role_and_issue(world):
    html = world.client(world.mo).get(reverse("dashboard")).content.decode()
    assert "Aurora" in html
    assert "Beacon" not in html
    assert world.mo_issue.title in html
    assert "Read and agree the ground rules" in html


def test_dashboard_prompt_disappears_once_agreed(world):
    client = world.client(world.fran)
    assert (
        "Read and agree the ground rules" not in client.get(reverse("dashboard")).content.decode()
    )


def test_programme_manager_sees_their_programmes(world):
    html = world.client(world.pam).get(reverse("dashboard")).content.decode()
    assert "Programmes I manage" in html
    assert "Leading Change" in html
    assert "2 sets" in html


def test_person_in_no_set_is_told_how_to_start(world):
    html = world.client(world.nia).get(reverse("dashboard")).content.decode()
    assert "You are not in a set yet" in html


def test_anonymous_home_goes_to_sign_in(client, db):
    response = client.get("/")
    assert response["Location"] == reverse("account_login")


def test_dashboard_query_count_does_not_grow_with_sets(world, django_assert_max_num_queries):
    """Guards against N+1 queries as a person joins more sets."""
    client = world.client(world.mo)
    for number in range(6):
        set_ = Set.objects.create(name=f"Set {number}", place="Here")
        Membership.objects.create(set=set_, user=world.mo)
        Issue.objects.create(set=set_, owner=world.mo, title=f"Issue {number}")
        GroundRules.objects.create(set=set_, version=1, rules=["Be kind"])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("dashboard")).status_code == 200


# --- "New programme" -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["mo", "fran", "nia"])
def test_people_who_run_no_programme_are_not_offered_a_new_one(world, who):
    html = world.client(getattr(world, who)).get(reverse("dashboard")).content.decode()
    assert reverse("programme_create") not in html
    assert "New set" in html


def test_programme_managers_and_staff_are_offered_a_new_programme(world):
    assert reverse("programme_create") in (
        world.client(world.pam).get(reverse("dashboard")).content.decode()
    )
    world.nia.is_staff = True
    world.nia.save()
    assert reverse("programme_create") in (
        world.client(world.nia).get(reverse("dashboard")).content.decode()
    )


def test_starting_a_programme_still_works_for_someone_not_offered_the_link(world):
    """The link is not an access rule: the page stays open to anyone signed in."""
    assert world.client(world.nia).get(reverse("programme_create")).status_code == 200
