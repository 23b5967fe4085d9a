from django.urls import reverse

from revans.programmes.models import Programme
from revans.sets.models import Issue, Membership, Set
from revans.site.testing import make_person

from .test_programme_page import QUERIES

VALID = {
    "name": "Leading Together",
    "description": "",
    "starts_on": "2027-01-10",
    "ends_on": "2027-12-10",
    "cadence_weeks": "6",
    "meeting_format": "half_day",
    "meeting_minutes": "240",
    "set_size_min": "6",
    "set_size_max": "8",
    "facilitated_meetings": "",
    "contact": "",
    "manager_emails": "",
}


def test_anyone_signed_in_creates_a_programme_and_manages_it(world):
    data = {**VALID, "sponsor": world.trust.pk, "manager_emails": world.gus.email}
    response = world.client(world.nia).post(reverse("programme_create"), data)
    programme = Programme.objects.get(name="Leading Together")
    assert response.status_code == 302
    assert set(programme.managers.all()) == {world.nia, world.gus}
    assert world.client(world.gus).get(programme.get_absolute_url()).status_code == 200


def test_dates_out_of_order_are_refused_next_to_the_field(world):
    data = {**VALID, "sponsor": world.trust.pk, "starts_on": "2027-12-10", "ends_on": "2027-01-10"}
    response = world.client(world.nia).post(reverse("programme_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == [
        "The programme must end on or after its start date."
    ]
    assert not Programme.objects.filter(name="Leading Together").exists()


def test_wrong_dates_and_unknown_people_get_clear_messages(world):
    data = {
        **VALID,
        "sponsor": "999",
        "starts_on": "31/02/2027",
        "cadence_weeks": "52",
        "manager_emails": "ghost@example.org, not an email",
    }
    response = world.client(world.nia).post(reverse("programme_create"), data)
    errors = response.context["form"].errors
    assert set(errors) == {"sponsor", "starts_on", "cadence_weeks", "manager_emails"}
    assert not Programme.objects.filter(name="Leading Together").exists()


def test_unknown_manager_is_named_in_the_message(world):
    data = {**VALID, "sponsor": world.trust.pk, "manager_emails": "ghost@example.org"}
    response = world.client(world.nia).post(reverse("programme_create"), data)
    assert "Nobody uses Revans with ghost@example.org" in response.content.decode()


def test_manager_edits_the_programme_and_stays_a_manager(world):
    data = {**VALID, "name": "Leading Change 2", "sponsor": world.council.pk}
    response = world.client(world.pam).post(
        reverse("programme_edit", args=[world.programme.pk]), data
    )
    assert response.status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.name == "Leading Change 2"
    assert list(world.programme.managers.all()) == [world.pam]


def test_programme_page_shows_sets_sizes_facilitators_and_people_but_no_content(world):
    client = world.client(world.pam)
    html = client.get(world.programme.get_absolute_url()).content.decode()
    for text in ("Aurora", "Beacon", "Fran", "Gus", "1 member"):
        assert text in html
    assert world.mo_issue.title not in html
    assert "Confidentiality" not in html
    assert "This set has 1 member" in html
    # People are on their own paged page now, not listed set by set here.
    people = client.get(reverse("programme_people", args=[world.programme.pk])).content.decode()
    for text in ("Mo", "Oli", "Obi", "Aurora", "Beacon", "Observer"):
        assert text in people
    assert world.mo_issue.title not in people


def test_programme_page_query_count_does_not_grow_with_sets(world, django_assert_max_num_queries):
    """Guards against N+1 queries as a programme gains sets and people."""
    client = world.client(world.pam)
    for number in range(5):
        set_ = Set.objects.create(name=f"Set {number}", programme=world.programme, place="Here")
        for key in range(6):
            person = make_person(f"p{number}-{key}", world.trust)
            Membership.objects.create(set=set_, user=person)
            Issue.objects.create(set=set_, owner=person, title="private")
    with django_assert_max_num_queries(QUERIES):
        response = client.get(world.programme.get_absolute_url())
    assert response.status_code == 200
    assert "private" not in response.content.decode()
