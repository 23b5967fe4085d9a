import re

from django.urls import reverse

from revans.programmes.models import Programme
from revans.sets.models import Issue, Membership, Role, Set
from revans.site.testing import make_person


def test_member_sees_the_set_its_people_and_their_issues(world):
    response = world.client(world.mo).get(reverse("set_detail", args=[world.aurora.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Fran", "Mo", "Obi"):
        assert name in html
    assert world.mo_issue.title in html
    assert "Edit my issue" in html


def test_programme_manager_sees_names_but_no_issues(world):
    response = world.client(world.pam).get(reverse("set_detail", args=[world.aurora.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mo" in html
    assert world.mo_issue.title not in html
    assert "stays in the set" in html


def test_member_of_another_set_gets_404(world):
    response = world.client(world.oli).get(reverse("set_detail", args=[world.aurora.pk]))
    assert response.status_code == 404


def test_a_missing_set_and_a_forbidden_one_look_the_same(world):
    client = world.client(world.oli)
    forbidden = client.get(reverse("set_detail", args=[world.aurora.pk]))
    missing = client.get(reverse("set_detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
    without_token = re.compile(rb'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')
    assert without_token.sub(b"", forbidden.content) == without_token.sub(b"", missing.content)


def test_sizes_outside_six_to_eight_warn_but_are_allowed(world):
    def page() -> str:
        address = reverse("set_detail", args=[world.aurora.pk])
        return world.client(world.fran).get(address).content.decode()

    assert "This set has 1 member. Leading Change&#x27;s sets have 6 to 8 members." in page()
    for key in range(4):
        Membership.objects.create(set=world.aurora, user=make_person(f"extra{key}"))
    assert "This set has 5 members. Leading Change&#x27;s sets have 6 to 8 members." in page()
    for key in range(4, 8):
        Membership.objects.create(set=world.aurora, user=make_person(f"extra{key}"))
    assert (
        "This set has 9 members. Leading Change&#x27;s sets have 6 to 8 members: with more "
        "than 8, there is little airtime for each; consider splitting it." in page()
    )


def test_a_set_on_its_own_works_best_with_six_to_eight(world):
    world.aurora.programme = None
    assert (
        world.aurora.size_warning(5)
        == "This set has 5 members. Sets work best with 6 to 8 members."
    )
    assert world.aurora.size_warning(7) == ""


def test_a_programmes_sizes_are_its_sets_sizes(world):
    world.programme.set_size_min, world.programme.set_size_max = 4, 6
    world.programme.save()
    aurora = type(world.aurora).objects.select_related("programme").get(pk=world.aurora.pk)
    assert aurora.size_warning(4) == ""
    assert aurora.size_warning(7).startswith(
        "This set has 7 members. Leading Change's sets have 4 to 6 members: with more than 6"
    )


def test_set_page_in_six_to_eight_shows_no_warning(world):
    for key in range(5):
        Membership.objects.create(set=world.aurora, user=make_person(f"extra{key}"))
    html = world.client(world.fran).get(reverse("set_detail", args=[world.aurora.pk])).content
    assert b"sets have" not in html
    assert b"consider splitting" not in html


def test_set_page_query_count_does_not_grow_with_members(world, django_assert_max_num_queries):
    """Guards against N+1 queries on the set page as members and issues grow."""
    client = world.client(world.fran)
    url = reverse("set_detail", args=[world.aurora.pk])
    client.get(url)
    for key in range(6):
        person = make_person(f"extra{key}")
        Membership.objects.create(set=world.aurora, user=person)
        Issue.objects.create(set=world.aurora, owner=person, title=f"Issue {key}")
    # 14: the page also shows the set's date polls and how many answered their expectations.
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_anyone_signed_in_can_start_a_standalone_set_and_facilitates_it(world):
    response = world.client(world.nia).post(
        reverse("set_create"),
        {
            "name": " Delta ",
            "mode": "in_person",
            "place": "Room 4",
            "status": "forming",
            "facilitate": "on",
        },
    )
    set_ = Set.objects.get(name="Delta")
    assert response.status_code == 302
    assert set_.programme is None
    assert Membership.objects.get(set=set_).role == Role.FACILITATOR


def test_standalone_set_without_a_facilitator_is_refused(world):
    response = world.client(world.nia).post(
        reverse("set_create"),
        {"name": "Delta", "mode": "in_person", "place": "Room 4", "status": "forming"},
    )
    assert response.status_code == 200
    assert "needs you as its facilitator" in response.content.decode()
    assert not Set.objects.filter(name="Delta").exists()


def test_programme_manager_creates_a_set_in_their_programme(world):
    response = world.client(world.pam).post(
        reverse("set_create"),
        {
            "name": "Cedar",
            "programme": world.programme.pk,
            "mode": "online",
            "video_link": "https://teams.microsoft.com/l/meetup-join/abc",
            "status": "forming",
        },
    )
    assert response.status_code == 302
    set_ = Set.objects.get(name="Cedar")
    assert set_.programme == world.programme
    assert not set_.memberships.exists()


def test_set_cannot_be_put_in_a_programme_one_does_not_manage(world):
    data = {"name": "Sneaky", "mode": "in_person", "place": "Here", "status": "forming"}
    data.update(programme=world.programme.pk, facilitate="on")
    world.client(world.nia).post(reverse("set_create"), data)
    assert not world.programme.sets.filter(name="Sneaky").exists()
    # Someone who manages another programme sees a refusal next to the field.
    other = Programme.objects.create(
        name="Other", sponsor=world.trust, starts_on="2027-01-01", ends_on="2027-02-01"
    )
    other.managers.add(world.nia)
    response = world.client(world.nia).post(reverse("set_create"), {**data, "name": "Sneakier"})
    assert "Select a valid choice" in response.content.decode()
    assert not Set.objects.filter(name="Sneakier").exists()


def test_the_programme_field_is_hidden_from_people_who_manage_none(world):
    response = world.client(world.mo).get(reverse("set_create"))
    assert "programme" not in response.context["form"].fields


def test_online_set_needs_a_secure_video_link(world):
    client = world.client(world.nia)
    data = {"name": "Online", "mode": "online", "status": "forming", "facilitate": "on"}
    missing = client.post(reverse("set_create"), data)
    assert "needs a video link" in missing.content.decode()
    insecure = client.post(reverse("set_create"), {**data, "video_link": "http://zoom.us/j/1"})
    assert "starts with https://" in insecure.content.decode()
    nonsense = client.post(reverse("set_create"), {**data, "video_link": "not a link"})
    assert "Enter a valid URL" in nonsense.content.decode()
    assert not Set.objects.filter(name="Online").exists()


def test_unknown_mode_and_status_are_refused(world):
    response = world.client(world.nia).post(
        reverse("set_create"),
        {"name": "X", "mode": "telepathy", "status": "zombie", "facilitate": "on"},
    )
    html = response.content.decode()
    assert html.count("Select a valid choice") == 2
    assert not Set.objects.filter(name="X").exists()


def test_facilitator_edits_the_set_but_cannot_move_it_out_of_the_programme(world):
    response = world.client(world.fran).post(
        reverse("set_edit", args=[world.aurora.pk]),
        {
            "name": "Aurora Borealis",
            "mode": "in_person",
            "place": "Room 1",
            "status": "active",
            "programme": "",
        },
    )
    assert response.status_code == 302
    world.aurora.refresh_from_db()
    assert world.aurora.name == "Aurora Borealis"
    assert world.aurora.programme == world.programme


def test_member_brings_an_issue(world):
    Issue.objects.all().delete()
    response = world.client(world.mo).post(
        reverse("issue_create", args=[world.aurora.pk]),
        {
            "title": "Retaining volunteers",
            "description": "",
            "why_it_matters": "",
            "status": "open",
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert (issue.owner, issue.set) == (world.mo, world.aurora)


def test_issue_without_a_title_is_refused(world):
    response = world.client(world.mo).post(
        reverse("issue_create", args=[world.aurora.pk]), {"title": "   ", "status": "open"}
    )
    assert response.status_code == 200
    assert (
        "This field is required" in response.content.decode()
        or "short title" in response.content.decode()
    )
    assert Issue.objects.count() == 1


def test_member_edits_only_their_own_issue(world):
    other = Issue.objects.create(set=world.aurora, owner=world.fran, title="Fran's")
    client = world.client(world.mo)
    assert client.get(reverse("issue_edit", args=[world.aurora.pk, other.pk])).status_code == 404
    response = client.post(
        reverse("issue_edit", args=[world.aurora.pk, world.mo_issue.pk]),
        {"title": "Two teams, one service", "status": "progressing"},
    )
    assert response.status_code == 302
    world.mo_issue.refresh_from_db()
    assert world.mo_issue.status == "progressing"


def test_issue_of_another_set_answers_404_even_to_its_owner_through_the_wrong_set(world):
    url = reverse("issue_edit", args=[world.beacon.pk, world.mo_issue.pk])
    assert world.client(world.mo).get(url).status_code == 404
