"""The search's own steps: must-linked units move as a whole (alone or in exchange for items
of equal total size), and the crossover of two assignments keeps the rules it is used for."""

import itertools

import numpy as np
import pytest

from revans.grouping import Problem, make_solution, solve
from revans.grouping.crossover import crossover
from revans.grouping.problem import must_link_units
from revans.grouping.search import State, _move_units, _perturb

pytestmark = pytest.mark.usefixtures("compiled")


def random_diversity(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    d = rng.integers(0, 100, (n, n)).astype(float)
    return np.triu(d, 1) + np.triu(d, 1).T


def brute_force(problem: Problem) -> float:
    return max(
        s.objective
        for s in (
            make_solution(problem, a) for a in itertools.product(range(problem.m), repeat=problem.n)
        )
        if s.feasible
    )


def test_a_unit_moves_alone_to_the_group_where_it_adds_most():
    # Items 0 and 1 are tied and far from 4 and 5, close to 2 and 3: they belong with 4 and 5.
    d = np.ones((6, 6))
    d[np.ix_([0, 1], [4, 5])] = d[np.ix_([4, 5], [0, 1])] = 10.0
    problem = Problem(d, [(2, 4)] * 2, must_link=[(0, 1)])
    state = State(problem, np.array([0, 0, 0, 0, 1, 1]))
    before = state.objective
    assert _move_units(state, np.random.default_rng(0), improve=True)
    assert list(state.grp[[0, 1]]) == [1, 1]
    assert state.objective > before
    assert state.objective == pytest.approx(problem.objective(state.grp))
    assert make_solution(problem, state.grp).feasible


def test_a_unit_swaps_with_as_many_items_when_sizes_are_fixed():
    d = np.ones((6, 6))
    d[np.ix_([0, 1], [4, 5])] = d[np.ix_([4, 5], [0, 1])] = 10.0
    problem = Problem(d, [(3, 3)] * 2, must_link=[(0, 1)])
    state = State(problem, np.array([0, 0, 1, 0, 1, 1]))
    assert _move_units(state, np.random.default_rng(0), improve=True)
    assert state.grp[0] == state.grp[1] and state.grp[0] in (state.grp[4], state.grp[5])
    assert make_solution(problem, state.grp).feasible
    assert state.objective == pytest.approx(problem.objective(state.grp))


def test_a_unit_stays_when_a_rule_forbids_the_better_group():
    d = np.ones((6, 6))
    d[np.ix_([0, 1], [4, 5])] = d[np.ix_([4, 5], [0, 1])] = 10.0
    problem = Problem(d, [(2, 4)] * 2, must_link=[(0, 1)], cannot_link=[(1, 4)])
    state = State(problem, np.array([0, 0, 0, 0, 1, 1]))
    assert not _move_units(state, np.random.default_rng(0), improve=True)
    assert list(state.grp) == [0, 0, 0, 0, 1, 1]


@pytest.mark.parametrize("seed", range(6))
def test_the_search_places_must_linked_units_as_well_as_brute_force(seed):
    n = 8
    bounds = [(4, 4)] * 2 if seed % 2 else [(2, 5)] * 2
    pairs = [(0, 1), (1, 2), (3, 4)] if seed % 3 else [(0, 5), (2, 6)]
    problem = Problem(random_diversity(seed, n), bounds, must_link=pairs)
    found = solve(problem, seconds=60, seed=seed, method="search", max_iterations=200)
    assert found.feasible
    assert found.objective == pytest.approx(brute_force(problem))


@pytest.mark.parametrize("seed", range(4))
def test_perturbing_units_keeps_every_rule(seed):
    rng = np.random.default_rng(seed)
    n = 24
    problem = Problem(
        random_diversity(seed, n),
        [(4, 8)] * 4,
        must_link=[(0, 1), (1, 2), (3, 4), (5, 6), (7, 8)],
        cannot_link=[(0, 3), (5, 9), (10, 11)],
        organisation=[f"org{k % 7}" for k in range(n)],
        max_per_organisation=3,
        availability=[{"a", "b"} if i % 3 else {"a"} for i in range(n)],
        locked={7: 2},
    )
    from revans.grouping.search import construct

    state = State(problem, construct(problem, rng))
    for _ in range(30):
        _perturb(state, rng, 2)
        assert make_solution(problem, state.grp).feasible
        assert state.objective == pytest.approx(problem.objective(state.grp))
    assert list(state.grp[[7, 8]]) == [2, 2]


@pytest.mark.parametrize("bounds", [[(5, 5)] * 4, [(3, 8)] * 4])
def test_a_crossover_child_keeps_the_sizes_locks_and_must_links(bounds):
    n = 20
    problem = Problem(
        random_diversity(9, n), bounds, must_link=[(0, 1), (2, 3), (3, 4)], locked={5: 3}
    )
    units = must_link_units(n, problem.must_link)
    found = [
        np.array(solve(problem, 60, seed, method="search", max_iterations=50).assignment)
        for seed in (1, 2)
    ]
    rng = np.random.default_rng(0)
    for _ in range(20):
        child = crossover(problem, units, found[0], found[1], rng)
        if child is not None:
            assert make_solution(problem, child).feasible


@pytest.mark.parametrize("rules", [False, True])
def test_the_same_seed_gives_the_same_result_with_and_without_crossover(rules):
    n = 48
    fields = {"must_link": [(0, 1), (2, 3)]}
    if rules:
        fields |= {"cannot_link": [(4, 5), (6, 7)], "locked": {8: 0}}
    problem = Problem(random_diversity(3, n), [(5, 9)] * 6, **fields)
    first = solve(problem, seconds=60, seed=5, max_iterations=2000)
    again = solve(problem, seconds=60, seed=5, max_iterations=2000)
    assert first.feasible
    assert first.assignment == again.assignment and first.iterations == again.iterations == 2000


def test_a_start_with_the_most_pairs_fills_the_largest_groups():
    from revans.grouping.search import _start_with_most_pairs

    problem = Problem(random_diversity(4, 20), [(2, 10), (4, 6), (2, 10)], locked={0: 1})
    grp = _start_with_most_pairs(problem, np.random.default_rng(0))
    # 10 + 6 + 4 items give 45 + 15 + 6 pairs; no other sizes within the bounds give more.
    assert sorted(np.bincount(grp, minlength=3)) == [4, 6, 10]
    assert make_solution(problem, grp).feasible


@pytest.mark.parametrize("seed", range(4))
def test_the_population_search_finds_the_optimum_of_small_problems(seed):
    bounds = [(2, 5), (3, 4), (1, 6)] if seed % 2 else [(3, 3)] * 3
    locked = {0: 1} if seed < 2 else {}
    problem = Problem(random_diversity(seed, 9), bounds, locked=locked)
    found = solve(problem, seconds=60, seed=seed, method="search", max_iterations=200)
    assert found.feasible and found.iterations == 200
    assert found.objective == pytest.approx(brute_force(problem))
