"""In-company or mixed sets through the pages: the option in the settings (always mix by
default), runs that honour it, the review's in-company marks, moves by hand that break it,
accepting, bad input, and the roles refused."""

import pytest
from django.urls import reverse

from revans.formation.board import board_for
from revans.formation.models import Cohort, FormationRun
from revans.grouping import RuleKind
from revans.programmes.models import Programme
from revans.sets.models import Set

from .conftest import HEADER, form_sets, import_cohort
from .test_import import settings_data

SMALL = ["Alder Works", "Birch Partners", "Cedar Group", "Damson Foods", "Elm Logistics"]


def rows(harbour: int = 6, small: int = 14) -> list[list[str]]:
    """``harbour`` people from Harbour Housing, then ``small`` from five small organisations
    (at most three each)."""
    people = [HEADER]
    for k in range(harbour):
        people.append(
            [f"h{k}@harbour.org", f"Harbour {k}", "Harbour Housing", "housing", str(k % 4 + 1)]
            + [""] * (len(HEADER) - 5)
        )
    for k in range(small):
        organisation = SMALL[k % len(SMALL)]
        sector = ["health", "police", "schools", "retail", "transport"][k % 5]
        people.append(
            [f"s{k}@small{k % 5}.org", f"Small {k}", organisation, sector, str(k % 5 + 1)]
            + [""] * (len(HEADER) - 5)
        )
    return people


def url(name: str, programme: Programme, *args) -> str:
    return reverse(name, args=[programme.pk, *args])


@pytest.fixture
def cohort(world) -> Cohort:
    """20 people: six from Harbour Housing, fourteen from five small organisations."""
    return import_cohort(world.programme, world.pam, rows())


@pytest.fixture
def in_company(world, cohort) -> Cohort:
    """The same cohort set to in-company sets from five people and formed: Harbour's set of
    six, and two mixed sets of seven."""
    cohort.mix = Cohort.Mix.IN_COMPANY
    cohort.save()
    run = form_sets(cohort, world.pam, quick=True)
    assert run.status == FormationRun.Status.DONE, run.problems
    return cohort


def harbour_sets(cohort: Cohort) -> set[str]:
    return set(
        cohort.participants.filter(organisation__name="Harbour Housing").values_list(
            "proposed_set__name", flat=True
        )
    )


# The settings


def test_a_cohort_always_mixes_in_sets_of_six_to_eight_by_default(world, cohort):
    assert (cohort.mix, cohort.in_company_from, cohort.in_company) == ("always", 5, None)
    assert (cohort.size_min, cohort.size_max) == (6, 8)
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert 'name="mix" value="always" id="id_mix_0" checked>' in page
    assert "Always mix organisations" in page
    assert "In-company sets when five or more come from one organisation" in page
    assert "sets work best with 6 to 8 members" in page
    assert "organisations always mixed" in page


def test_manager_chooses_in_company_sets_and_their_threshold(world, cohort):
    response = world.client(world.pam).post(
        url("cohort_settings", world.programme),
        settings_data(size_min="6", size_max="8", mix="in_company", in_company_from="6"),
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.mix, cohort.in_company_from, cohort.in_company) == ("in_company", 6, 6)
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert "In-company sets when six or more come from one organisation" in page
    assert "in-company sets from 6 people of one organisation" in page


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"in_company_from": "1"}, "in_company_from", "greater than or equal to 2"),
        ({"in_company_from": "51"}, "in_company_from", "less than or equal to 50"),
        ({"in_company_from": "five"}, "in_company_from", "Enter a whole number"),
        ({"mix": "sometimes"}, "mix", "Select a valid choice"),
    ],
)
def test_a_bad_threshold_or_choice_is_refused_and_nothing_is_saved(
    world, cohort, changes, field, words
):
    data = settings_data(size_min="6", size_max="8", **{"mix": "in_company", **changes})
    response = world.client(world.pam).post(url("cohort_settings", world.programme), data)
    assert response.status_code == 400
    assert words in " ".join(response.context["settings_form"].errors[field])
    cohort.refresh_from_db()
    assert (cohort.mix, cohort.size_min, cohort.seconds) == ("always", 6, 1)


NINE = (
    "9 people come from Harbour Housing: they cannot be split into in-company sets of 5–8. Make "
    "the largest set 9, or the in-company threshold 10 (smaller organisations mixed), or always "
    "mix organisations"
)


def test_sizes_the_in_company_sets_cannot_have_are_refused(world):
    cohort = import_cohort(world.programme, world.pam, rows(harbour=9, small=14))
    data = settings_data(size_min="6", size_max="8", mix="in_company", in_company_from="5")
    response = world.client(world.pam).post(url("cohort_settings", world.programme), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"In-company sets cannot be formed: {NINE}." in page
    # The page's summary is the settings as saved, not as refused.
    assert "organisations always mixed" in page and "in-company sets from" not in page
    cohort.refresh_from_db()
    assert cohort.mix == "always"
    # A largest set of 9 holds them (one set of 9), and the fourteen others (7 and 7).
    data["size_max"] = "9"
    response = world.client(world.pam).post(url("cohort_settings", world.programme), data)
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.mix, cohort.size_max) == ("in_company", 9)


def test_a_threshold_above_the_smallest_set_keeps_in_company_sets_of_six_to_eight(world):
    cohort = import_cohort(world.programme, world.pam, rows(harbour=10, small=14))
    data = settings_data(size_min="6", size_max="8", mix="in_company", in_company_from="7")
    response = world.client(world.pam).post(url("cohort_settings", world.programme), data)
    assert response.status_code == 400
    assert (
        "10 people come from Harbour Housing: they cannot be split into in-company sets of 6–8."
        in response.content.decode()
    )
    cohort.refresh_from_db()
    assert cohort.mix == "always"
    # At threshold 5 the same ten make two in-company sets of five.
    data["in_company_from"] = "5"
    response = world.client(world.pam).post(url("cohort_settings", world.programme), data)
    assert response.status_code == 302
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert "in-company sets from 5 people of one organisation, of 5–8" in page


def test_the_settings_say_an_in_company_set_may_be_as_small_as_the_threshold(world, cohort):
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert "an in-company set may be as small as this, below the smallest set" in page
    assert "Everyone else is mixed in sets of the sizes above." in page


@pytest.mark.parametrize("harbour, sizes", [(5, [5]), (10, [5, 5]), (11, [5, 6]), (17, [5, 6, 6])])
def test_a_run_forms_in_company_sets_as_small_as_the_threshold(world, harbour, sizes):
    cohort = import_cohort(world.programme, world.pam, rows(harbour=harbour, small=14))
    data = settings_data(size_min="6", size_max="8", mix="in_company", in_company_from="5")
    client = world.client(world.pam)
    assert client.post(url("cohort_settings", world.programme), data).status_code == 302
    cohort.refresh_from_db()
    run = form_sets(cohort, world.pam, quick=True)
    assert run.status == FormationRun.Status.DONE, run.problems
    board = board_for(cohort)
    assert board.broken == []
    assert sorted(len(s.members) for s in board.company_sets) == sizes
    mixed = [len(s.members) for s in board.sets if not s.company]
    assert mixed == [7, 7]  # the mixed sets keep 6–8
    page = client.get(url("cohort", world.programme)).content.decode()
    assert "Every rule holds" in page
    count = len(sizes) + 2
    assert f'<span class="badge good">held</span> Set sizes: {count} rules' in page
    assert "5–8 allowed" not in page  # no size rule is broken, so none is listed


def test_the_review_flags_an_in_company_set_below_the_threshold_and_a_mixed_set_of_five(
    world,
):
    cohort = import_cohort(world.programme, world.pam, rows(harbour=5, small=14))
    cohort.mix = Cohort.Mix.IN_COMPANY
    cohort.save()
    assert form_sets(cohort, world.pam, quick=True).status == FormationRun.Status.DONE
    (harbour,) = harbour_sets(cohort)
    mixed = list(cohort.proposed_sets.exclude(name=harbour).order_by("position"))
    client = world.client(world.pam)
    # Two of one mixed set moved to the other: 5 and 9, both outside 6–8.
    movers = cohort.participants.filter(proposed_set=mixed[0])[:2]
    client.post(
        url("cohort_move", world.programme),
        {"person": [p.pk for p in movers], "to": mixed[1].pk},
    )
    broken = {c.rule: c.detail for c in board_for(cohort).broken if c.kind == RuleKind.SIZE}
    assert broken == {
        f"size of set {mixed[0].name}": "5, 6–8 allowed",
        f"size of set {mixed[1].name}": "9, 6–8 allowed",
    }
    # One of Harbour's five moved out: its set of four is below 5–8 (and she is out of it).
    person = cohort.participants.get(email="h0@harbour.org")
    client.post(url("cohort_move", world.programme), {"person": person.pk, "to": mixed[0].pk})
    broken = {c.rule: c.detail for c in board_for(cohort).broken}
    assert broken[f"size of set {harbour}"] == "4, 5–8 allowed"
    assert f"size of set {mixed[0].name}" not in broken  # back to six
    page = client.get(url("cohort", world.programme)).content.decode()
    assert f"size of set {harbour}: 4, 5–8 allowed" in page


def test_too_few_others_for_a_mixed_set_are_refused(world):
    import_cohort(world.programme, world.pam, rows(harbour=14, small=4))
    data = settings_data(size_min="6", size_max="8", mix="in_company", in_company_from="5")
    response = world.client(world.pam).post(url("cohort_settings", world.programme), data)
    assert response.status_code == 400
    assert "cannot hold the 4 people from smaller organisations" in response.content.decode()


def test_settings_sent_without_the_option_keep_it_as_it_is(world, cohort):
    cohort.mix, cohort.in_company_from = Cohort.Mix.IN_COMPANY, 6
    cohort.save()
    data = settings_data(size_min="6", size_max="8", seconds="2")
    del data["mix"], data["in_company_from"]
    response = world.client(world.pam).post(url("cohort_settings", world.programme), data)
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.mix, cohort.in_company_from, cohort.seconds) == ("in_company", 6, 2)


@pytest.mark.parametrize("who", ["fran", "mo", "obi", "oli", "nia", "gus"])
def test_only_the_programmes_managers_change_the_option(world, cohort, who):
    data = settings_data(size_min="6", size_max="8", mix="in_company")
    response = world.client(getattr(world, who)).post(url("cohort_settings", world.programme), data)
    assert response.status_code == 404
    cohort.refresh_from_db()
    assert cohort.mix == "always"


# Runs and the review


def test_a_run_gives_an_organisation_of_six_its_own_set_and_mixes_the_rest(world, in_company):
    (harbour,) = harbour_sets(in_company)
    proposed = {s.name: s for s in in_company.proposed_sets.select_related("organisation")}
    assert len(proposed) == 3
    assert proposed[harbour].organisation.name == "Harbour Housing"
    assert [s.organisation for name, s in proposed.items() if name != harbour] == [None, None]
    board = board_for(in_company)
    assert board.broken == []
    sizes = {str(s.proposed): len(s.members) for s in board.sets}
    assert sorted(sizes.values()) == [6, 7, 7]
    for s in board.sets:
        organisations = {p.organisation.name for p in s.members}
        if s.company:
            assert organisations == {"Harbour Housing"} == {s.company}
        else:
            assert "Harbour Housing" not in organisations
            counts = [sum(p.organisation.name == o for p in s.members) for o in organisations]
            assert max(counts) <= 2  # the organisation cap of mixed sets


def test_always_mix_spreads_the_same_organisation_across_sets(world, cohort):
    assert form_sets(cohort, world.pam, quick=True).status == FormationRun.Status.DONE
    assert len(harbour_sets(cohort)) == 3
    assert not cohort.proposed_sets.exclude(organisation=None).exists()
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert "badge company" not in page and "company-note" not in page
    assert "in-company set (" not in page


def test_the_review_marks_the_in_company_sets(world, in_company):
    (harbour,) = harbour_sets(in_company)
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert '<span class="badge company">In-company: Harbour Housing</span>' in page
    assert page.count('class="badge company"') == 1
    assert (
        f"1 in-company set (Harbour Housing: Set {harbour}), the other 2 mixed across "
        "organisations." in page
    )
    assert "Every rule holds" in page


def test_a_move_that_mixes_an_in_company_set_is_a_rule_problem(world, in_company):
    (harbour,) = harbour_sets(in_company)
    target = in_company.proposed_sets.exclude(name=harbour).first()
    person = in_company.participants.get(email="h0@harbour.org")
    client = world.client(world.pam)
    response = client.post(
        url("cohort_move", world.programme), {"person": person.pk, "to": target.pk}
    )
    assert response.status_code == 302
    board = board_for(in_company)
    broken = {(c.rule, c.detail) for c in board.broken}
    assert (
        "everyone from Harbour Housing in its in-company sets",
        f"h0@harbour.org in set {target.name}",
    ) in broken
    page = client.get(url("cohort", world.programme)).content.decode()
    assert "In-company sets: 2 rules, 1 broken" in page
    assert (
        f"everyone from Harbour Housing in its in-company sets: h0@harbour.org in set {target.name}"
        in page
    )
    # And someone from elsewhere moved into Harbour's set breaks it too.
    other = in_company.participants.get(email="s0@small0.org")
    harbour_set = in_company.proposed_sets.get(name=harbour)
    client.post(url("cohort_move", world.programme), {"person": other.pk, "to": harbour_set.pk})
    rules = {c.rule: c.detail for c in board_for(in_company).broken}
    assert rules[f"set {harbour} is in-company for Harbour Housing"] == "also s0@small0.org"
    before = Set.objects.count()
    response = client.post(url("cohort_accept", world.programme))
    assert response.status_code == 302 and Set.objects.count() == before


def test_choosing_in_company_sets_after_a_mixed_proposal_shows_what_to_do(world, cohort):
    assert form_sets(cohort, world.pam, quick=True).status == FormationRun.Status.DONE
    cohort.mix = Cohort.Mix.IN_COMPANY
    cohort.save()
    broken = {(c.rule, c.detail) for c in board_for(cohort).broken}
    assert (
        "everyone from Harbour Housing in its in-company sets",
        "it has no in-company set",
    ) in broken
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert "No in-company sets" in page and "form them again" in page


def test_a_run_that_cannot_form_the_in_company_sets_fails_with_the_reason(world):
    cohort = import_cohort(world.programme, world.pam, rows(harbour=9, small=14))
    cohort.mix = Cohort.Mix.IN_COMPANY  # as if the sizes changed since the option was saved
    cohort.save()
    run = form_sets(cohort, world.pam, quick=True)
    assert run.status == FormationRun.Status.FAILED
    assert run.problems == [NINE]
    page = world.client(world.pam).get(url("cohort", world.programme)).content.decode()
    assert "9 people come from Harbour Housing" in page


def test_locked_people_of_an_organisation_keep_its_set_in_the_next_run(world, in_company):
    (harbour,) = harbour_sets(in_company)
    in_company.participants.filter(email="h2@harbour.org").update(locked=True)
    assert form_sets(in_company, world.pam).status == FormationRun.Status.DONE
    assert harbour_sets(in_company) == {harbour}
    assert in_company.proposed_sets.get(name=harbour).organisation.name == "Harbour Housing"


def test_accepting_creates_the_sets_as_proposed(world, in_company):
    board = board_for(in_company)
    proposed = {str(s.proposed): {p.email for p in s.members} for s in board.sets}
    response = world.client(world.pam).post(url("cohort_accept", world.programme))
    assert response.status_code == 302
    (harbour,) = harbour_sets(in_company)
    created = Set.objects.filter(programme=world.programme).exclude(
        pk__in=[world.aurora.pk, world.beacon.pk]
    )
    assert created.count() == 3
    for set_ in created:
        name = set_.name.removeprefix("Leading Change · ")
        assert set(set_.invitations.values_list("email", flat=True)) == proposed[name]
    assert proposed[f"Set {harbour}"] == {f"h{k}@harbour.org" for k in range(6)}
