"""The grouping engine on its own: exact on tiny problems, rules always held, the same result
for the same seed, a time limit, and clear reasons for impossible rules."""

import itertools

import numpy as np
import pytest

from revans.grouping import Infeasible, Problem, solve
from revans.grouping.search import State

pytestmark = pytest.mark.usefixtures("compiled")


def random_problem(seed: int, n: int, m: int, rules: bool = False, spread: int = 1) -> Problem:
    rng = np.random.default_rng(seed)
    d = rng.integers(0, 100, (n, n)).astype(float)
    d = np.triu(d, 1) + np.triu(d, 1).T
    base, extra = divmod(n, m)
    bounds = [(max(1, base - spread), base + spread + (g < extra)) for g in range(m)]
    if not rules:
        return Problem(d, bounds)
    pairs = list(itertools.combinations(range(n), 2))
    picked = [pairs[k] for k in rng.permutation(len(pairs))[: n // 2 + 1]]
    return Problem(
        d,
        bounds,
        cannot_link=picked[:-1],
        must_link=picked[-1:],
        organisation=[f"org{k}" for k in rng.integers(0, max(2, n // 3), n)],
        max_per_organisation=2,
        availability=[
            {s for s in "abc" if rng.random() < 0.8} | {"a" if i % 2 else "b"} for i in range(n)
        ],
        locked={int(rng.integers(n)): 0},
    )


def brute_force(problem: Problem) -> float | None:
    """The best objective over every assignment that holds every rule (None when none does)."""
    from revans.grouping import make_solution

    best = None
    for assignment in itertools.product(range(problem.m), repeat=problem.n):
        solution = make_solution(problem, assignment)
        if solution.feasible and (best is None or solution.objective > best):
            best = solution.objective
    return best


@pytest.mark.parametrize("seed", range(6))
def test_the_exact_method_matches_brute_force(seed):
    problem = random_problem(seed, n=7 + seed % 3, m=2 + seed % 2)
    solution = solve(problem, seconds=5, method="exact")
    assert solution.optimal
    assert solution.objective == pytest.approx(brute_force(problem))


@pytest.mark.parametrize("seed", range(4))
def test_the_exact_method_matches_brute_force_under_rules(seed):
    problem = random_problem(100 + seed, n=7, m=3, rules=True)
    expected = brute_force(problem)
    if expected is None:
        with pytest.raises(Infeasible):
            solve(problem, seconds=5, method="exact")
    else:
        solution = solve(problem, seconds=5, method="exact")
        assert solution.feasible and solution.objective == pytest.approx(expected)


def test_the_search_finds_the_optimum_of_a_small_problem():
    problem = random_problem(7, n=12, m=3)
    optimum = solve(problem, seconds=5).objective
    found = solve(problem, seconds=60, seed=1, method="search", max_iterations=300)
    assert found.objective == pytest.approx(optimum)
    assert not found.optimal


@pytest.mark.parametrize("seed", range(5))
def test_every_rule_holds_in_every_result(seed):
    problem = random_problem(200 + seed, n=40, m=5, rules=True, spread=2)
    solution = solve(problem, seconds=60, seed=seed, max_iterations=150)
    assert solution.feasible, [c for c in solution.rules if not c.held]
    assert solution.objective == pytest.approx(problem.objective(solution.assignment))
    assert sum(solution.group_scores) == pytest.approx(solution.objective)


def test_every_state_the_search_visits_holds_every_rule():
    """Random rule-holding moves, as the search's perturbation makes, never break a rule."""
    from revans.grouping import make_solution
    from revans.grouping.search import _shake, construct

    problem = random_problem(300, n=30, m=4, rules=True, spread=2)
    rng = np.random.default_rng(0)
    state = State(problem, construct(problem, rng))
    for _ in range(40):
        _shake(state, rng, 1)
        assert make_solution(problem, state.grp).feasible
        assert state.objective == pytest.approx(problem.objective(state.grp))


def test_the_same_seed_gives_the_same_result():
    problem = random_problem(400, n=60, m=6, rules=True, spread=2)
    first = solve(problem, seconds=60, seed=5, max_iterations=300)
    again = solve(problem, seconds=60, seed=5, max_iterations=300)
    assert first.assignment == again.assignment and first.iterations == again.iterations == 300


def test_a_time_limit_stops_the_search_and_reports_progress():
    problem = random_problem(500, n=60, m=6)
    calls = []
    solution = solve(problem, seconds=0.3, seed=1, progress=lambda f, best: calls.append((f, best)))
    assert solution.feasible and solution.iterations > 0
    assert calls and all(0 <= f <= 1 for f, _ in calls)
    assert [b for _, b in calls] == sorted(b for _, b in calls)


@pytest.mark.parametrize("rules", [True, False])  # the tabu search, the population search
def test_progress_returning_true_stops_the_search_with_the_best_so_far(rules):
    problem = random_problem(501, n=60, m=6, rules=rules, spread=2)
    calls = []

    def stop_after_three(fraction, best):
        calls.append(best)
        return len(calls) >= 3

    solution = solve(problem, seconds=60, seed=1, progress=stop_after_three)
    assert len(calls) == 3 and solution.feasible
    assert solution.objective == pytest.approx(calls[-1])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bounds": [(5, 6)] * 3}, "minimum sizes add up to 15, more than the 12 items"),
        ({"bounds": [(1, 3)] * 3}, "maximum sizes add up to 9, fewer than the 12 items"),
        (
            {"cannot_link": list(itertools.combinations(range(4), 2))},
            r"items \[0, 1, 2, 3\] must all be kept apart",
        ),
        (
            {"cannot_link": [(0, 1)], "must_link": [(0, 1)]},
            "items 0 and 1 must be kept apart and together",
        ),
        (
            {"organisation": ["x"] * 7 + ["y"] * 5, "max_per_organisation": 2},
            "7 items from x, more than 2 in each of 3 groups",
        ),
        ({"availability": [{"mon"}] * 11 + [set()]}, "item 11 has no available slot"),
        (
            {"locked": {0: 1, 1: 1}, "cannot_link": [(0, 1)]},
            "kept apart but are locked in the same group",
        ),
    ],
)
def test_impossible_rules_are_reported_plainly(changes, message):
    fields = {"diversity": np.ones((12, 12)), "bounds": [(3, 5)] * 3, **changes}
    with pytest.raises(Infeasible, match=message):
        solve(Problem(**fields), seconds=1, method="search")


def test_rules_that_no_greedy_start_can_hold_are_reported():
    # Every pair of slots is disjoint: no group of two or more can meet.
    problem = Problem(np.ones((6, 6)), [(3, 3)] * 2, availability=[{k} for k in range(6)])
    with pytest.raises(Infeasible, match="fit in no group"):
        solve(problem, seconds=1, method="search")
    with pytest.raises(Infeasible, match="every assignment was checked"):
        solve(problem, seconds=1, method="exact")


def test_the_engine_imports_nothing_from_django():
    import subprocess
    import sys

    code = (
        "import sys, revans.grouping, revans.grouping.search, revans.grouping.exact, "
        "revans.grouping.mdgplib, revans.grouping.__main__; "
        "assert not [m for m in sys.modules if m.startswith('django')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_rule_report_says_why_a_rule_is_broken():
    from revans.grouping import report

    problem = Problem(np.ones((4, 4)), [(2, 2)] * 2, cannot_link=[(0, 1)], locked={2: 1})
    checks = {c.rule: c for c in report(problem, [0, 0, 0, 1])}
    assert (
        not checks["keep 0 and 1 apart"].held
        and checks["keep 0 and 1 apart"].detail == "both in group 0"
    )
    assert (
        not checks["size of group 0"].held
        and checks["size of group 0"].detail == "3 items, 2..2 allowed"
    )
    assert not checks["2 locked in group 1"].held
