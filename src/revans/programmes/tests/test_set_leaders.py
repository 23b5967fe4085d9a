"""The set page names the programme's leaders and how to reach them: for everyone who sees the
set (its people and the programme's managers), from a part the programmes app registers."""

import pytest
from django.urls import reverse

from revans.sets.models import Set
from revans.site.testing import make_person

CONTACT = "Questions about the programme: e-mail learning@merseyvale.example or call 0151 000"


@pytest.fixture
def led(world):
    world.programme.contact = CONTACT
    world.programme.save()
    world.programme.managers.add(make_person("ada", display_name="Ada Lovelace"))
    return world.programme


def set_page(world, who, set_=None):
    return world.client(who).get(reverse("set_detail", args=[(set_ or world.aurora).pk]))


def test_everyone_in_the_set_sees_the_leaders_names_and_contact_line(world, led):
    for person in (world.mo, world.obi, world.fran, world.pam):
        html = set_page(world, person).content.decode()
        assert "Programme leaders" in html
        assert (
            "Leading Change is led by <strong>Ada Lovelace</strong> and <strong>Pam</strong>"
            in html
        )
        assert CONTACT in html


def test_people_outside_the_set_see_no_set_page_at_all(world, led):
    assert set_page(world, world.nia).status_code == 404
    assert set_page(world, world.oli).status_code == 404  # Beacon's member, same programme


def test_a_set_on_its_own_has_no_leaders_panel(world, led):
    alone = Set.objects.create(name="Delta", place="Room 4")
    alone.memberships.create(user=world.nia, role="facilitator")
    html = set_page(world, world.nia, alone).content.decode()
    assert "Programme leaders" not in html


def test_without_a_contact_line_members_ask_their_facilitator_and_managers_are_told(world):
    member = set_page(world, world.mo).content.decode()
    assert "Your facilitator can put you in touch with them." in member
    assert "add a contact line" not in member
    manager = set_page(world, world.pam).content.decode()
    assert "add a contact line" in manager
    assert reverse("programme_edit", args=[world.programme.pk]) in manager


def test_the_contact_line_is_text_not_markup(world):
    world.programme.contact = "<script>alert(1)</script>"
    world.programme.save()
    html = set_page(world, world.mo).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_leaders_panel_is_one_query_whatever_the_number_of_managers(
    world, django_assert_num_queries
):
    """Guards against N+1: the managers' names are one query, for one manager or twelve."""
    from revans.programmes.set_page import programme_leaders
    from revans.sets.access import set_access

    access = set_access(world.mo, world.aurora.pk)
    with django_assert_num_queries(1):
        programme_leaders(world.mo, access.set, access, [])
    for k in range(11):
        world.programme.managers.add(make_person(f"m{k}"))
    with django_assert_num_queries(1):
        context = programme_leaders(world.mo, access.set, access, [])
    assert len(context["programme_leaders"]["names"]) == 12


def test_the_panel_links_the_open_sets_and_for_those_who_answer_the_requests(world, led):
    open_sets = reverse("programme_open_sets", args=[world.programme.pk])
    requests = reverse("join_requests", args=[world.programme.pk])
    for person in (world.mo, world.obi):
        html = set_page(world, person).content.decode()
        assert open_sets in html and requests not in html
    for person in (world.fran, world.pam):
        html = set_page(world, person).content.decode()
        assert open_sets in html and requests in html
