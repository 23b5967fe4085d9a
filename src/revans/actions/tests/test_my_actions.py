"""My actions: everything I committed to across my sets, open ones first, and what came of it."""

from django.urls import reverse

from revans.actions.models import Action
from revans.sets.models import Membership

from .conftest import make_meeting

URL = reverse("my_actions")


def test_my_open_actions_come_first_with_the_meeting_they_were_committed_in(world, history):
    html = world.client(world.mo).get(URL).content.decode()
    assert "Meet both team leaders together" in html
    assert "Call Sam about the rota" in html
    assert html.index("Meet both team leaders") < html.index("Call Sam about the rota")
    assert (
        html.index("Still to do")
        < html.index("Meet both team leaders")
        < html.index("What came of them")
    )
    assert reverse("meeting_detail", args=[history["meet"].committed_in_id]) in html


def test_what_came_of_my_actions_shows_status_note_and_report_back_meeting(world, history):
    html = world.client(world.mo).get(URL).content.decode()
    assert "Partly done" in html
    assert "Sam is on leave until May" in html
    assert "reported at" in html
    assert reverse("meeting_detail", args=[history["called"].reported_in_id]) in html


def test_actions_are_grouped_by_set(world, history):
    Membership.objects.create(set=world.beacon, user=world.mo)
    Action.objects.create(
        set=world.beacon,
        owner=world.mo,
        text="Draft the Beacon rota",
        committed_in=history["oli"].committed_in,
    )
    html = world.client(world.mo).get(URL).content.decode()
    aurora = html.index(f'href="{world.aurora.get_absolute_url()}"')
    beacon = html.index(f'href="{world.beacon.get_absolute_url()}"')
    assert aurora < html.index("Meet both team leaders") < beacon
    assert beacon < html.index("Draft the Beacon rota") < html.index("What came of them")


def test_only_my_own_actions_are_listed(world, history):
    html = world.client(world.mo).get(URL).content.decode()
    assert "Read up on rota design" not in html
    assert "The Beacon plan" not in html
    assert "Read up on rota design" in world.client(world.fran).get(URL).content.decode()


def test_actions_in_a_set_i_have_left_are_not_listed(world, history):
    world.mo_in_aurora.delete()
    html = world.client(world.mo).get(URL).content.decode()
    assert "Meet both team leaders" not in html
    assert "Nothing open" in html


def test_someone_with_no_actions_sees_how_actions_are_made(world, history):
    for who in (world.nia, world.pam, world.obi):
        response = world.client(who).get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nothing open" in html
        assert "Meet both team leaders" not in html and "The Beacon plan" not in html


def test_anonymous_visitors_are_sent_to_sign_in(world):
    response = world.client(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_query_count_does_not_grow_with_actions(world, history, django_assert_max_num_queries):
    """Guards against N+1 queries as my actions, sets and meetings grow."""
    client = world.client(world.mo)
    for number in range(3, 9):
        meeting = make_meeting(world.aurora, number, days=-number)
        for key in range(3):
            Action.objects.create(
                set=world.aurora,
                owner=world.mo,
                text=f"Action {number}.{key}",
                committed_in=meeting,
                status=Action.Status.DONE if key else Action.Status.COMMITTED,
                reported_in=history["first"] if key else None,
            )
    Membership.objects.create(set=world.beacon, user=world.mo)
    for key in range(3):
        Action.objects.create(
            set=world.beacon,
            owner=world.mo,
            text=f"Beacon action {key}",
            committed_in=make_meeting(world.beacon, 10 + key, days=-key),
        )
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200
