"""The expectations questionnaire: each member answers for themselves before the first meeting;
only the set's facilitators read the answers (architecture.md §4)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from revans.meetings.testing import make_meeting
from revans.sets.models import Expectations, Membership, Role, Set
from revans.sets.questions import MAX_ANSWER
from revans.sets.services import do_save_expectations
from revans.site.testing import make_person

HOPES = "To stop carrying the rota problem on my own."


def answer(world, person=None, set_=None, **answers) -> Expectations:
    return Expectations.objects.create(
        set=set_ or world.aurora, user=person or world.mo, answers=answers or {"hopes": HOPES}
    )


def readers(expectations: Expectations, people) -> set[str]:
    return {
        person.display_name
        for person in people
        if Expectations.objects.visible_to(person).filter(pk=expectations.pk).exists()
    }


def test_only_the_author_and_the_sets_facilitators_read_the_answers(world):
    mos = answer(world)
    kai = make_person("kai")
    Membership.objects.create(set=world.aurora, user=kai)
    everyone = (world.mo, kai, world.fran, world.obi, world.pam, world.gus, world.oli, world.nia)
    assert readers(mos, everyone) == {"Mo", "Fran"}
    assert not Expectations.objects.visible_to(AnonymousUser()).exists()


def test_a_programme_manager_who_observes_the_set_reads_nothing(world):
    mos = answer(world)
    Membership.objects.create(set=world.aurora, user=world.pam, role=Role.OBSERVER)
    assert readers(mos, [world.pam]) == set()


def test_a_member_who_chairs_a_self_facilitated_set_reads_only_their_own(world):
    willow = Set.objects.create(name="Willow", place="Library", self_facilitated=True)
    ada, ben = make_person("ada"), make_person("ben")
    for person in (ada, ben):
        Membership.objects.create(set=willow, user=person)
    adas = answer(world, ada, willow)
    bens = answer(world, ben, willow)
    assert readers(adas, [ada, ben]) == {"Ada"}
    assert readers(bens, [ada, ben]) == {"Ben"}


def test_a_facilitator_reads_only_the_sets_they_facilitate(world):
    # gus facilitates Beacon and is a member of Aurora: he reads Beacon's answers, not Aurora's.
    Membership.objects.create(set=world.aurora, user=world.gus)
    olis = answer(world, world.oli, world.beacon)
    mos = answer(world)
    gus_own = answer(world, world.gus)
    assert readers(olis, [world.gus]) == {"Gus"}
    assert readers(mos, [world.gus]) == set()
    assert readers(gus_own, [world.gus, world.fran, world.mo]) == {"Gus", "Fran"}


def test_only_members_answer_for_themselves(world):
    with pytest.raises(ValidationError):
        do_save_expectations(world.aurora, world.obi, {"hopes": HOPES})
    with pytest.raises(ValidationError):
        do_save_expectations(world.beacon, world.mo, {"hopes": HOPES})
    assert not Expectations.objects.exists()


def test_member_answers_and_changes_their_answers(world):
    client = world.client(world.mo)
    url = reverse("expectations", args=[world.aurora.pk])
    page = client.get(url).content.decode()
    assert "What do you hope to get from the set?" in page
    assert "facilitator reads your answers" in page
    response = client.post(url, {"hopes": HOPES, "worries": "Time."})
    assert response.status_code == 302
    assert response["Location"] == world.aurora.get_absolute_url()
    response = client.post(url, {"hopes": HOPES, "worries": "", "work_on": "The rota."})
    saved = Expectations.objects.get()
    assert saved.answers == {"hopes": HOPES, "work_on": "The rota."}
    assert HOPES in client.get(url).content.decode()


def test_answers_to_a_question_no_longer_asked_are_kept(world):
    answer(world, hopes=HOPES, retired_question="An old answer.")
    world.client(world.mo).post(
        reverse("expectations", args=[world.aurora.pk]), {"hopes": "Something else."}
    )
    assert Expectations.objects.get().answers == {
        "hopes": "Something else.",
        "retired_question": "An old answer.",
    }


def test_an_empty_questionnaire_is_refused(world):
    response = world.client(world.mo).post(
        reverse("expectations", args=[world.aurora.pk]), {"hopes": "  ", "worries": ""}
    )
    assert response.status_code == 200
    assert "Answer at least one question" in response.content.decode()
    assert not Expectations.objects.exists()


def test_an_over_long_answer_is_refused_and_nothing_is_saved(world):
    answer(world)
    response = world.client(world.mo).post(
        reverse("expectations", args=[world.aurora.pk]),
        {"hopes": "Changed.", "worries": "x" * (MAX_ANSWER + 1)},
    )
    assert response.status_code == 200
    assert f"Keep each answer to {MAX_ANSWER} characters or fewer" in response.content.decode()
    assert Expectations.objects.get().answers == {"hopes": HOPES}  # nothing half-saved


@pytest.mark.parametrize("who", ["fran", "obi", "pam", "oli", "nia"])
def test_only_members_of_the_set_have_a_questionnaire(world, who):
    client = world.client(getattr(world, who))
    url = reverse("expectations", args=[world.aurora.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"hopes": HOPES}).status_code == 404
    assert not Expectations.objects.exists()


def test_posting_for_another_set_answers_404_and_saves_nothing(world):
    response = world.client(world.mo).post(
        reverse("expectations", args=[world.beacon.pk]), {"hopes": HOPES}
    )
    assert response.status_code == 404
    assert not Expectations.objects.exists()


def test_the_facilitator_reads_who_has_answered_and_who_has_not(world):
    kai = make_person("kai", display_name="Kai Lund")
    Membership.objects.create(set=world.aurora, user=kai)
    answer(world, hopes=HOPES, worries="Speaking in a group.")
    answer(world, world.oli, world.beacon, hopes="Beacon's own.")
    response = world.client(world.fran).get(reverse("expectations_list", args=[world.aurora.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 of 2 members have answered" in html
    assert HOPES in html and "Speaking in a group." in html
    assert "Not answered yet" in html and "Kai Lund" in html
    assert "Beacon's own." not in html


@pytest.mark.parametrize("who", ["mo", "obi", "pam", "gus", "nia"])
def test_nobody_but_a_facilitator_of_the_set_reads_the_answers(world, who):
    answer(world)
    url = reverse("expectations_list", args=[world.aurora.pk])
    assert world.client(getattr(world, who)).get(url).status_code == 404


def test_a_self_facilitated_sets_chair_has_no_reading_page(world):
    Set.objects.filter(pk=world.aurora.pk).update(self_facilitated=True)
    answer(world)
    kai = make_person("kai")
    Membership.objects.create(set=world.aurora, user=kai)
    url = reverse("expectations_list", args=[world.aurora.pk])
    assert world.client(kai).get(url).status_code == 404


def test_the_reading_page_query_count_does_not_grow_with_members(
    world, django_assert_max_num_queries
):
    """Guards against N+1 queries as members and their answers grow."""
    client = world.client(world.fran)
    url = reverse("expectations_list", args=[world.aurora.pk])
    for key in range(8):
        person = make_person(f"extra{key}")
        Membership.objects.create(set=world.aurora, user=person)
        if key % 2:
            answer(world, person)
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200


def test_the_set_page_offers_the_questionnaire_before_the_first_meeting(world):
    client = world.client(world.mo)
    url = reverse("set_detail", args=[world.aurora.pk])
    html = client.get(url).content.decode()
    assert "Before your first meeting" in html
    assert reverse("expectations", args=[world.aurora.pk]) in html
    answer(world)
    html = client.get(url).content.decode()
    assert "Before your first meeting" not in html
    assert "Only the set's facilitator reads your answers" in html


def test_after_the_first_meeting_the_offer_stays_without_the_notice(world):
    make_meeting(world.aurora, days=-7)
    html = world.client(world.mo).get(reverse("set_detail", args=[world.aurora.pk])).content
    assert b"Before your first meeting" not in html
    assert b"Answer the questions" in html


def test_the_set_page_tells_the_facilitator_how_many_answered_and_nobody_else(world):
    answer(world)
    url = reverse("set_detail", args=[world.aurora.pk])
    fran = world.client(world.fran).get(url).content.decode()
    assert "1 of 1 members have said what they hope for" in fran
    assert reverse("expectations_list", args=[world.aurora.pk]) in fran
    for person in (world.obi, world.pam):
        html = world.client(person).get(url).content.decode()
        assert reverse("expectations_list", args=[world.aurora.pk]) not in html
        assert reverse("expectations", args=[world.aurora.pk]) not in html
