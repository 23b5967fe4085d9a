"""In-company sets: every organisation with at least a threshold of people forms its own sets
and everyone else is mixed; the engine's groups of their own (Problem.own_groups), the cohort's
rule in people's terms, and what cannot be formed said as a reason, never a crash."""

import re

import numpy as np
import pytest

from revans.grouping import Infeasible, Problem, RuleKind, solve
from revans.grouping.cohort import (
    RULE_KINDS,
    CohortError,
    Roster,
    company_sets_for,
    company_size,
    rule_groups,
    sets_for,
)
from revans.grouping.cohort_file import Person
from revans.grouping.search import search

SECTORS = ["health", "police", "schools", "council", "charity"]


def people(*organisations: tuple[str, int]) -> list[Person]:
    """``count`` people from each named organisation, then one each from small ones."""
    found = []
    for organisation, count in organisations:
        for k in range(count):
            slug = organisation.casefold()
            found.append(
                Person(
                    row=len(found) + 2,
                    email=f"{slug}{k}@{slug}.org",
                    name=f"{organisation} {k}",
                    organisation=organisation,
                    sector=SECTORS[k % len(SECTORS)],
                    role_level=float(k % 4 + 1),
                )
            )
    return found


def mixed(count: int, start: int = 0) -> list[tuple[str, int]]:
    """``count`` organisations of one person each."""
    return [(f"Small{k}", 1) for k in range(start, start + count)]


def roster(
    *organisations: tuple[str, int], changes: dict[str, dict[str, object]] | None = None
) -> Roster:
    """A roster of these organisations' people, with ``changes`` (e-mail: fields) made."""
    found = people(*organisations)
    for email, fields in (changes or {}).items():
        found = [Person(**{**p.__dict__, **fields}) if p.email == email else p for p in found]
    return Roster(found)


def company_of(formed, organisation: str) -> set[str]:
    """The sets that hold the people of ``organisation``."""
    return {formed.set_of(i) for i, p in enumerate(formed.people) if p.organisation == organisation}


# The engine: groups of their own


def diversity(n: int, seed: int = 1) -> np.ndarray:
    d = np.random.default_rng(seed).random((n, n))
    return (d + d.T) / 2


def test_a_label_with_groups_of_its_own_fills_them_and_nobody_else_does():
    labels = ["a"] * 7 + ["b"] * 3 + [f"x{k}" for k in range(10)]
    problem = Problem(
        diversity(20),
        bounds=[(6, 7)] * 3,
        organisation=labels,
        max_per_organisation=2,
        own_groups={"a": [1]},
    )
    solution = solve(problem, 1, seed=1, method="search", max_iterations=2000)
    assert solution.feasible
    assert {solution.assignment[i] for i in range(7)} == {1}
    assert all(solution.assignment[i] != 1 for i in range(7, 20))
    own = [c for c in solution.rules if c.kind == RuleKind.OWN_GROUPS]
    assert [c.rule for c in own] == ["group 1 of a's own", "every item of a in its own groups"]
    # The cap of 2 holds in the other groups and is not checked in a's own group.
    caps = [c.rule for c in solution.rules if c.kind == RuleKind.ORGANISATION]
    assert caps == [
        "at most 2 per organisation in group 0",
        "at most 2 per organisation in group 2",
    ]


def test_the_parts_are_solved_exactly_when_small():
    labels = ["a"] * 4 + ["b", "c", "d", "e"]
    problem = Problem(
        diversity(8),
        [(4, 4)] * 2,
        organisation=labels,
        max_per_organisation=1,
        own_groups={"a": [0]},
    )
    solution = solve(problem, 1)
    assert solution.optimal and solution.assignment == [0, 0, 0, 0, 1, 1, 1, 1]


def test_a_report_of_a_broken_assignment_names_the_groups():
    labels = ["a"] * 3 + ["b"] * 3
    problem = Problem(
        diversity(6),
        [(3, 3)] * 2,
        organisation=labels,
        max_per_organisation=3,
        own_groups={"a": [0]},
    )
    from revans.grouping import report

    checks = [c for c in report(problem, [0, 0, 1, 1, 1, 0]) if c.kind == RuleKind.OWN_GROUPS]
    assert [(c.held, c.detail, c.group) for c in checks] == [
        (False, "1 from elsewhere", 0),
        (False, "in groups [1]", 1),
    ]


def test_what_cannot_be_held_is_a_reason_not_a_crash():
    labels = ["a"] * 5 + ["b"] * 7
    problem = Problem(
        diversity(12),
        [(6, 8)] * 2,
        organisation=labels,
        max_per_organisation=7,
        own_groups={"a": [0]},
        locked={6: 0},
    )
    with pytest.raises(Infeasible) as raised:
        solve(problem, 1)
    assert raised.value.reasons == [
        "5 items from a cannot fill groups [0], which hold 6 to 8",
        "item 6 is locked in group 0, which is not one of the groups to mix",
    ]


def test_a_label_given_no_groups_cannot_be_held():
    problem = Problem(
        diversity(6),
        [(3, 3)] * 2,
        organisation=["a"] * 3 + ["b"] * 3,
        max_per_organisation=3,
        own_groups={"a": []},
    )
    with pytest.raises(Infeasible, match="3 items from a have no groups of their own"):
        solve(problem, 1)


def test_a_problem_with_groups_of_its_own_goes_through_solve():
    problem = Problem(
        diversity(6),
        [(3, 3)] * 2,
        organisation=["a"] * 3 + ["b"] * 3,
        max_per_organisation=3,
        own_groups={"a": [0]},
    )
    with pytest.raises(ValueError, match="part by part"):
        search(problem, 1, 1)
    with pytest.raises(ValueError, match="need organisation labels"):
        Problem(diversity(6), [(3, 3)] * 2, own_groups={"a": [0]})
    with pytest.raises(ValueError, match="one label only"):
        Problem(
            diversity(6),
            [(3, 3)] * 2,
            organisation=["a"] * 6,
            max_per_organisation=3,
            own_groups={"a": [0], "b": [0]},
        )


def test_progress_covers_the_parts_and_stopping_keeps_every_rule():
    labels = ["a"] * 14 + [f"x{k}" for k in range(14)]
    problem = Problem(
        diversity(28),
        [(6, 8)] * 4,
        organisation=labels,
        max_per_organisation=2,
        own_groups={"a": [0, 1]},
    )
    seen = []

    def progress(fraction: float, best: float) -> bool:
        seen.append(fraction)
        return len(seen) > 3  # stop early

    solution = solve(problem, 5, seed=2, progress=progress, method="search")
    assert solution.feasible
    assert all(0 <= f <= 1 for f in seen)


# The cohort: in-company sets in people's terms


def test_sets_for_counts_the_sets_of_a_part():
    assert sets_for(13, (6, 8)) == 2
    assert sets_for(11, (6, 8)) is None
    assert sets_for(5, (6, 8)) is None
    assert sets_for(24, (6, 8)) == 3
    assert sets_for(0, (6, 8)) is None


def test_an_organisation_of_five_forms_its_own_set_at_threshold_five():
    cohort = roster(("Acme", 5), *mixed(10))
    formation = cohort.form((4, 6), in_company=5)
    assert len(formation.set_names) == 3
    formed = formation.solve(1, seed=1, max_iterations=500)
    assert formed.feasible
    (acme_set,) = company_of(formed, "Acme")
    assert formation.company_sets() == {acme_set: "Acme"}
    assert [p.organisation for p in formed.sets()[acme_set]] == ["Acme"] * 5
    assert "in-company (Acme)" in formed.summary()


def test_an_organisation_of_four_is_mixed_at_threshold_five_and_in_company_at_four():
    cohort = roster(("Acme", 4), *mixed(8))
    mixed_formation = cohort.form((4, 6), in_company=5)
    assert mixed_formation.company_sets() == {}
    formed = mixed_formation.solve(1, seed=1, max_iterations=500)
    assert len(company_of(formed, "Acme")) > 1  # at most 2 per set: mixed
    at_four = cohort.form((4, 6), in_company=4)
    formed = at_four.solve(1, seed=1, max_iterations=500)
    assert len(company_of(formed, "Acme")) == 1 and formed.feasible


def test_thirteen_from_one_organisation_make_two_sets_of_six_and_seven():
    cohort = roster(("Acme", 13), ("Beta", 2), *mixed(12))
    formation = cohort.form((6, 8), in_company=5)
    formed = formation.solve(2, seed=1, max_iterations=2000)
    assert formed.feasible
    acme = company_of(formed, "Acme")
    assert len(acme) == 2
    assert sorted(len(formed.sets()[name]) for name in acme) == [6, 7]
    for name, members in formed.sets().items():
        if name not in acme:
            assert all(p.organisation != "Acme" for p in members)
            assert 6 <= len(members) <= 8
    kinds = dict(rule_groups(formed.rules()))
    assert len(kinds[RULE_KINDS[RuleKind.OWN_GROUPS]]) == 3  # two sets, and everyone in them


# In-company sets may be as small as the threshold: five or more people of one organisation
# form their own set, so at threshold 5 and sets of 6–8 an in-company set holds 5–8.


def test_an_in_company_set_may_be_as_small_as_the_threshold():
    assert company_size((6, 8), 5) == (5, 8)
    assert company_size((6, 8), 7) == (6, 8)  # a threshold above the smallest set: 6–8
    assert company_size((4, 6), 5) == (4, 6)
    # The count whose mean size is closest to the middle of the sets' range (7).
    counts = {n: company_sets_for(n, (6, 8), 5) for n in (5, 8, 9, 10, 11, 12, 16, 17, 24)}
    assert counts == {5: 1, 8: 1, 9: None, 10: 2, 11: 2, 12: 2, 16: 2, 17: 3, 24: 3}
    assert company_sets_for(10, (6, 8), 7) is None
    assert company_sets_for(13, (6, 8), 7) == 2


@pytest.mark.parametrize(
    "count, sizes",
    [(5, [5]), (10, [5, 5]), (11, [5, 6]), (17, [5, 6, 6]), (16, [8, 8]), (13, [6, 7])],
)
def test_an_organisation_at_threshold_five_forms_in_company_sets_of_five_to_eight(count, sizes):
    cohort = roster(("Acme", count), *mixed(14))
    formation = cohort.form((6, 8), in_company=5)
    assert len(formation.set_names) == len(sizes) + 2 == cohort.number_of_sets((6, 8), 5)
    formed = formation.solve(1, seed=1, max_iterations=500)
    assert formed.feasible
    acme = company_of(formed, "Acme")
    assert sorted(len(formed.sets()[name]) for name in acme) == sizes
    for name, members in formed.sets().items():
        if name not in acme:  # the mixed sets keep 6–8: two sets of 7
            assert len(members) == 7 and all(p.organisation != "Acme" for p in members)
    sizes_checked = {c.rule: c.detail for c in formed.rules() if c.kind == RuleKind.SIZE and c.held}
    assert len(sizes_checked) == len(sizes) + 2
    for name in acme:
        assert sizes_checked[f"size of set {name}"].endswith(", 5–8 allowed")
    for name in set(formed.sets()) - acme:
        assert sizes_checked[f"size of set {name}"] == "7, 6–8 allowed"
    if sizes[0] == 5:
        assert "(allowed 6–8, in-company 5–8)" in formed.summary()


def test_nine_from_one_organisation_cannot_be_split_and_the_way_out_is_said():
    cohort = roster(("Acme", 9), *mixed(14))
    message = (
        "9 people come from Acme: they cannot be split into in-company sets of 5–8. Make the "
        "largest set 9, or the in-company threshold 10 (smaller organisations mixed), or "
        "always mix organisations"
    )
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 8), in_company=5)
    assert raised.value.errors == [message]
    assert cohort.in_company_problems(5, (6, 8)) == [message]
    # Each way out forms them.
    assert cohort.form((6, 9), in_company=5).company_sets() != {}
    assert cohort.form((6, 8), in_company=10).problem.own_groups == {}
    assert cohort.form((6, 8)).problem.own_groups == {}


def test_the_way_out_suggested_holds_for_every_organisation():
    # 9 and 11 cannot be split at 6–8 (threshold 7); 12 and 13 can: a largest set of 11 splits
    # all four (9 and 11 in one set each), a threshold of 12 mixes 9 and 11.
    cohort = roster(("Acme", 9), ("Beta", 11), ("Cedar", 12), ("Dale", 13), *mixed(14))
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 8), in_company=7)
    assert [e.split(": they")[0] for e in raised.value.errors] == [
        "9 people come from Acme",
        "11 people come from Beta",
    ]
    assert all(
        "Make the largest set 11, or the in-company threshold 12" in e for e in raised.value.errors
    )
    assert "sets of 6–8" in raised.value.errors[0]
    cohort.form((6, 11), in_company=7)
    cohort.form((6, 8), in_company=12)


def test_a_threshold_above_the_smallest_set_keeps_in_company_sets_of_six_to_eight():
    cohort = roster(("Acme", 7), ("Beta", 13), *mixed(14))
    formation = cohort.form((6, 8), in_company=7)
    assert formation.company == formation.size == (6, 8)
    formed = formation.solve(1, seed=1, max_iterations=500)
    assert formed.feasible
    assert [len(formed.sets()[name]) for name in company_of(formed, "Acme")] == [7]
    assert sorted(len(formed.sets()[name]) for name in company_of(formed, "Beta")) == [6, 7]
    assert all("6–8 allowed" in c.detail for c in formed.rules() if c.kind == RuleKind.SIZE)
    assert "in-company 6–8" not in formed.summary()
    # Ten people of one organisation at threshold 7 need a set of 5: refused.
    with pytest.raises(CohortError, match="10 people come from Acme: they cannot be split"):
        roster(("Acme", 10), *mixed(14)).form((6, 8), in_company=7)


def test_sets_moved_by_hand_are_sized_by_their_kind():
    """An in-company set of 5 holds its size rule; a mixed set of 5 breaks it; an in-company set
    of 4 breaks it (the board's checks of moves by hand)."""
    from revans.grouping.cohort import FormedSets
    from revans.grouping.problem import make_solution

    cohort = roster(("Acme", 10), *mixed(14))
    names = ["1", "2", "3", "4"]
    formation = cohort.form(
        (6, 8), set_names=names, check=False, in_company=5, company_sets={"1": "Acme", "2": "Acme"}
    )
    assert [formation.size_of(g) for g in range(4)] == [(5, 8), (5, 8), (6, 8), (6, 8)]
    fair = [0] * 5 + [1] * 5 + [2] * 7 + [3] * 7
    formed = FormedSets(formation, make_solution(formation.problem, fair))
    assert formed.feasible
    # acme0 moved from set 1 to set 2 (4 and 6), small0 from set 3 to set 4 (6 and 8): held.
    moved = [1] + [0] * 4 + [1] * 5 + [3] + [2] * 6 + [3] * 7
    formed = FormedSets(formation, make_solution(formation.problem, moved))
    broken = [(c.rule, c.detail) for c in formed.rules() if not c.held]
    assert broken == [("size of set 1", "4, 5–8 allowed")]
    # Two from set 3 moved to set 4: set 3 holds 5, which a mixed set may not.
    moved = [0] * 5 + [1] * 5 + [3, 3] + [2] * 5 + [3] * 7
    formed = FormedSets(formation, make_solution(formation.problem, moved))
    broken = [(c.rule, c.detail) for c in formed.rules() if not c.held]
    assert broken == [("size of set 3", "5, 6–8 allowed"), ("size of set 4", "9, 6–8 allowed")]


def test_the_400_person_cohort_at_threshold_five():
    """bench/cohort.py's cohort (seed 1): its sizes now fit in-company sets of 5–8 but for one
    organisation of nine; with a largest set of 9 the sizes fit, and what is left are the
    organisations with one in-company set whose people share no slot or hold a manager and
    report or a keep-apart pair, each said."""
    from revans.grouping.cohort import cohort_from_rows
    from revans.grouping.sample import generate

    rows = generate(people=400, seed=1)
    cohort = cohort_from_rows(list(enumerate(rows, start=1)), source="generated")
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 8), in_company=5)
    assert raised.value.errors == [
        "9 people come from Organisation 20: they cannot be split into in-company sets of 5–8. "
        "Make the largest set 9, or the in-company threshold 18 (smaller organisations mixed), "
        "or always mix organisations"
    ]
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 9), in_company=5)
    slots = [e for e in raised.value.errors if "share no slot" in e]
    pairs = [e for e in raised.value.errors if "kept apart" in e]
    assert len(slots) == 16 and len(pairs) == 10 and len(raised.value.errors) == 26
    assert slots[0] == "7 people from Organisation 05 share no slot for their one set, set 21"
    assert all(
        re.fullmatch(
            r"\S+, \S+ must all be kept apart from each other, but \d people from "
            r"Organisation \d\d have only 1 set",
            error,
        )
        for error in pairs
    ), pairs
    formation = cohort.form((6, 8), in_company=18)
    assert sorted(len(groups) for groups in formation.problem.own_groups.values()) == [4, 5, 8]


def test_too_few_others_to_mix_is_said():
    cohort = roster(("Acme", 12), *mixed(4))
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 8), in_company=5)
    assert raised.value.errors == [
        "1 mixed set of 6–8 cannot hold the 4 people from smaller organisations (in-company "
        "sets from 5 people of one organisation). Change the set sizes or the threshold, or "
        "always mix organisations"
    ]


def test_too_few_sets_for_the_in_company_sets_is_said():
    cohort = roster(("Acme", 12), ("Beta", 6), *mixed(6))
    with pytest.raises(CohortError, match="2 sets are too few: the in-company sets alone need 3"):
        cohort.form((6, 8), sets=2, in_company=5)


def test_everyone_from_one_organisation_makes_only_in_company_sets():
    formed = roster(("Acme", 14)).form((6, 8), in_company=5).solve(1, max_iterations=500)
    assert formed.feasible and len(formed.sets()) == 2


def test_a_person_locked_in_a_set_takes_their_organisation_there():
    cohort = roster(("Acme", 6), *mixed(12), changes={"acme3@acme.org": {"locked": "Blue"}})
    formation = cohort.form((6, 8), in_company=5)
    assert formation.company_sets() == {"Blue": "Acme"}
    formed = formation.solve(1, seed=3, max_iterations=500)
    assert company_of(formed, "Acme") == {"Blue"} and formed.feasible


def test_a_lock_that_mixes_an_organisation_in_is_a_reason():
    cohort = roster(
        ("Acme", 6),
        *mixed(12),
        changes={
            "acme3@acme.org": {"locked": "Blue"},
            "small00@small0.org": {"locked": "Blue"},
        },
    )
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 8), in_company=5)
    assert raised.value.errors == [
        "small00@small0.org is locked in set Blue, which is not one of the sets to mix"
    ]


def test_keep_apart_people_of_an_organisation_go_to_its_different_sets():
    cohort = roster(
        ("Acme", 13), *mixed(14), changes={"acme0@acme.org": {"keep_apart": ("acme1@acme.org",)}}
    )
    formed = cohort.form((6, 8), in_company=5).solve(1, seed=1, max_iterations=2000)
    assert formed.feasible
    assert formed.set_of(0) != formed.set_of(1)
    assert {formed.set_of(0), formed.set_of(1)} == company_of(formed, "Acme")


def test_a_manager_and_report_in_an_organisation_with_one_set_cannot_be_held():
    cohort = roster(
        ("Acme", 6), *mixed(12), changes={"acme1@acme.org": {"manager_email": "acme0@acme.org"}}
    )
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 8), in_company=5)
    assert raised.value.errors == [
        "acme0@acme.org, acme1@acme.org must all be kept apart from each other, "
        "but 6 people from Acme have only 1 set"
    ]


def test_sets_moved_by_hand_are_checked_against_the_in_company_sets_given():
    cohort = roster(("Acme", 6), *mixed(12))
    names = ["1", "2", "3"]
    formation = cohort.form(
        (6, 8), set_names=names, check=False, in_company=5, company_sets={"2": "ACME"}
    )
    assert formation.company_sets() == {"2": "Acme"}
    from revans.grouping.cohort import FormedSets
    from revans.grouping.problem import make_solution

    # acme0 moved into set 1, small0 into set 2.
    assignment = [0, 1, 1, 1, 1, 1] + [1] + [0] * 5 + [2] * 6
    formed = FormedSets(formation, make_solution(formation.problem, assignment))
    broken = [(c.rule, c.detail, c.group) for c in formed.rules() if not c.held]
    assert broken == [
        ("set 2 is in-company for Acme", "also small00@small0.org", 1),
        ("everyone from Acme in its in-company sets", "acme0@acme.org in set 1", 0),
    ]


def test_an_organisation_without_an_in_company_set_given_breaks_the_rule():
    cohort = roster(("Acme", 6), *mixed(12))
    formation = cohort.form(
        (6, 8), set_names=["1", "2", "3"], check=False, in_company=5, company_sets={}
    )
    from revans.grouping.cohort import FormedSets
    from revans.grouping.problem import make_solution

    formed = FormedSets(
        formation, make_solution(formation.problem, [0, 0, 1, 1, 2, 2] + [0, 1, 2] * 4)
    )
    broken = [(c.rule, c.detail) for c in formed.rules() if not c.held]
    assert broken == [("everyone from Acme in its in-company sets", "it has no in-company set")]


def test_a_threshold_below_two_is_refused():
    with pytest.raises(CohortError, match="at least 2"):
        roster(*mixed(12)).form((6, 6), in_company=1)


def test_the_command_forms_in_company_sets(tmp_path, capsys):
    from revans.grouping.__main__ import main

    path = tmp_path / "cohort.csv"
    lines = ["email,name,organisation,sector"]
    lines += [f"a{k}@acme.org,A {k},Acme,health" for k in range(6)]
    lines += [f"s{k}@s{k}.org,S {k},Small {k},police" for k in range(12)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = [str(path), "--size", "6-8", "--in-company", "5", "--seconds", "0.2", "--quiet"]
    assert main([*argv, "-o", str(tmp_path / "sets.csv")]) == 0
    out = capsys.readouterr().out
    assert "held    in-company sets: 2 of 2" in out
    assert "6 people in-company (Acme)" in out
    assert main([*argv[:3], "--in-company", "7", *argv[5:], "-o", str(tmp_path / "s.csv")]) == 0
    assert "in-company" not in capsys.readouterr().out


def test_a_part_that_cannot_be_formed_names_its_own_people():
    """A reason from one part's search names that part's people (not those numbered alike in
    the whole cohort), and every part that fails is said, not the first alone."""
    # Acme's and Beta's sixteen each go in two sets of 8, but each person is free at one of
    # eight slots: no eight of them share one.
    free = [{"availability": frozenset({f"slot {k % 8}"})} for k in range(16)]
    changes = {f"acme{k}@acme.org": free[k] for k in range(16)}
    changes |= {f"beta{k}@beta.org": free[k] for k in range(16)}
    cohort = roster(("Acme", 16), ("Beta", 16), *mixed(14), changes=changes)
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 8), in_company=5).solve(1, seed=1, max_iterations=200)
    errors = raised.value.errors
    assert len(errors) == 2
    assert re.search(r"\(acme\d+@acme\.org fit in no set without breaking a rule\)", errors[0])
    assert re.search(r"\(beta\d+@beta\.org fit in no set without breaking a rule\)", errors[1])


def test_one_in_company_set_whose_people_share_no_slot_is_said_before_searching():
    changes = {
        f"acme{k}@acme.org": {"availability": frozenset({"mon am" if k else "tue pm"})}
        for k in range(6)
    }
    cohort = roster(("Acme", 6), *mixed(12), changes=changes)
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 8), in_company=5)
    assert raised.value.errors == ["6 people from Acme share no slot for their one set, set 1"]
    # An organisation whose name holds the word "group" keeps it.
    renamed = {
        email: {**fields, "organisation": "Cedar Group"} for email, fields in changes.items()
    }
    cohort = roster(("Acme", 6), *mixed(12), changes=renamed)
    with pytest.raises(CohortError) as raised:
        cohort.form((6, 8), in_company=5)
    assert raised.value.errors == [
        "6 people from Cedar Group share no slot for their one set, set 1"
    ]
