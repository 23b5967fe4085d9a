"""The programme page (one row per set, paged) and its people page (paged, searched): what a
programme's managers see as the programme grows, and what nobody else sees at all."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.accounts.models import User
from revans.meetings.models import Attendance, Meeting
from revans.meetings.testing import make_meeting
from revans.sets.models import Membership, Role, Set

# session, user, programme, set count, sets, their people, their dates, question mix, totals,
# cohort, managers
QUERIES = 11


def grow(world, sets: int, people_per_set: int = 8, start: int = 0) -> None:
    """Adds ``sets`` sets of one facilitator and the rest members, without hashing passwords."""
    new_sets = Set.objects.bulk_create(
        Set(name=f"Grown {n:03}", programme=world.programme, place="Here")
        for n in range(start, start + sets)
    )
    people = User.objects.bulk_create(
        User(email=f"g{n}-{k}@example.org", display_name=f"Grown person {n}-{k}")
        for n in range(start, start + sets)
        for k in range(people_per_set)
    )
    Membership.objects.bulk_create(
        Membership(
            set=set_,
            user=people[i * people_per_set + k],
            role=Role.FACILITATOR if k == 0 else Role.MEMBER,
        )
        for i, set_ in enumerate(new_sets)
        for k in range(people_per_set)
    )


def meeting(set_, days: float, number: int) -> Meeting:
    return make_meeting(set_, number, days)


def page_of(world, name="programme_detail", user=None, client=None, **params):
    url = reverse(name, args=[world.programme.pk])
    return (client or world.client(user or world.pam)).get(url, params)


def test_programme_page_queries_stay_flat_from_two_sets_to_two_hundred(
    world, django_assert_max_num_queries
):
    """Guards against N+1 queries: the same number at 2 sets and at 202 sets of eight, each
    with its facilitator, next meeting and attendance figure."""
    pam = world.client(world.pam)
    meeting(world.aurora, days=7, number=1)
    with django_assert_max_num_queries(QUERIES):
        assert page_of(world, client=pam).status_code == 200
    grow(world, 200)
    for set_ in Set.objects.filter(name__in=["Grown 000", "Grown 001"]):
        past = meeting(set_, days=-7, number=1)
        Attendance.objects.bulk_create(
            Attendance(meeting=past, user_id=m.user_id, status="present")
            for m in set_.memberships.all()
        )
    with django_assert_max_num_queries(QUERIES):
        response = page_of(world, client=pam)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 20


def test_people_page_queries_stay_flat_as_people_grow(world, django_assert_max_num_queries):
    """Guards against N+1 queries on the people page: its set, user and organisation come with
    each row."""
    pam = world.client(world.pam)
    grow(world, 30)
    with django_assert_max_num_queries(5):  # session, user, programme, count, people
        response = page_of(world, "programme_people", client=pam)
    assert response.status_code == 200


def test_a_row_shows_size_facilitator_next_meeting_and_attendance_so_far(world):
    meeting(world.aurora, days=3, number=2)
    past = meeting(world.aurora, days=-14, number=1)
    Attendance.objects.create(meeting=past, user=world.fran, status="present")
    Attendance.objects.create(meeting=past, user=world.mo, status="present")
    Attendance.objects.create(meeting=past, user=world.obi, status="apologies")
    html = page_of(world).content.decode()
    assert "67% present (2 of 3)" in html
    assert "none recorded" in html  # Beacon
    assert "none planned" in html  # Beacon
    assert (timezone.now() + timedelta(days=3)).strftime("%-d %b %Y") in html
    assert "This set has 1 member" in html
    assert "Fran" in html and "Gus" in html
    assert "<td>Mo</td>" not in html  # people are on the people page


def test_sets_come_twenty_a_page_in_name_order(world):
    grow(world, 48, people_per_set=1)  # 50 sets with Aurora and Beacon
    first = page_of(world).context["page"]
    assert [s.name for s in first.object_list][:2] == ["Aurora", "Beacon"]
    assert len(first.object_list) == 20
    last = page_of(world, page=3).context["page"]
    assert len(last.object_list) == 10
    assert last.object_list[-1].name == "Grown 047"
    html = page_of(world, page=2).content.decode()
    assert "Page 2 of 3" in html
    assert "?page=3" in html and "?page=1" in html


def test_sets_filter_by_name_and_status_and_keep_the_filter_across_pages(world):
    grow(world, 60, people_per_set=1)
    Set.objects.filter(name="Grown 007").update(status=Set.Status.CLOSED)
    response = page_of(world, q="grown 00")
    assert [s.name for s in response.context["page"]] == [f"Grown 00{n}" for n in range(10)]
    assert response.context["set_count"] == 62  # the stats count every set
    assert response.context["page"].paginator.count == 10
    closed = page_of(world, q="grown", status="closed").context["page"]
    assert [s.name for s in closed] == ["Grown 007"]
    html = page_of(world, q="grown").content.decode()
    assert "q=grown&amp;page=2" in html
    assert "No set matches" in page_of(world, q="nothing like this").content.decode()


def test_people_come_fifty_a_page_and_are_found_by_name_or_email(world):
    grow(world, 20)  # 160 people, and the world's five in sets
    first = page_of(world, "programme_people").context["page"]
    assert len(first.object_list) == 50
    assert first.paginator.count == 165
    by_name = page_of(world, "programme_people", q="person 3-")
    assert {m.user.display_name for m in by_name.context["page"]} == {
        f"Grown person 3-{k}" for k in range(8)
    }
    by_email = page_of(world, "programme_people", q="OLI@example")
    assert [m.user for m in by_email.context["page"]] == [world.oli]
    html = page_of(world, "programme_people", q="grown").content.decode()
    assert "q=grown&amp;page=2" in html
    assert "Nobody matches" in page_of(world, "programme_people", q="zzz").content.decode()


def test_a_person_in_another_programme_is_not_listed(world):
    from revans.programmes.models import Programme

    other = Programme.objects.create(
        name="Elsewhere", sponsor=world.trust, starts_on="2026-09-01", ends_on="2027-03-31"
    )
    elsewhere = Set.objects.create(name="Elsewhere set", programme=other, place="There")
    Membership.objects.create(set=elsewhere, user=world.nia)
    people = page_of(world, "programme_people", q="nia").context["page"]
    assert list(people) == []


@pytest.mark.parametrize("name", ["programme_detail", "programme_people"])
@pytest.mark.parametrize("who", ["nia", "mo", "obi", "fran", "gus", "oli"])
def test_everyone_but_the_programme_managers_gets_404(world, name, who):
    assert page_of(world, name, user=getattr(world, who)).status_code == 404


@pytest.mark.parametrize("name", ["programme_detail", "programme_people"])
def test_anonymous_is_sent_to_sign_in(world, name):
    url = reverse(name, args=[world.programme.pk])
    response = world.client(None).get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ["programme_detail", "programme_people"])
@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "1e9"},
        {"q": "x" * 20_000},
        {"q": "%_'\";--\\"},
        {"q": "\x00"},
        {"status": "nonsense"},
        {"status": ["closed", "forming"], "page": ["2", "x"]},
    ],
)
def test_bad_paging_and_search_input_is_never_an_error(world, name, params):
    grow(world, 60, people_per_set=1)
    response = page_of(world, name, **params)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) > 0 or "q" in params
    assert len(response.context["search"]) <= 100
