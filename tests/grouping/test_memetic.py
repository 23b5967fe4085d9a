"""The compiled population search for problems with sizes and locks only: each of its steps
keeps the rules and its sums right, the local search ends where nothing improves, and the
whole search is the one taken for such problems and repeats for a seed. (Finding the optimum
of small problems is in test_search.py, stopping when asked in test_solve.py.)"""

import itertools

import numpy as np
import pytest

from revans.grouping import Problem, kernel, solve

pytestmark = pytest.mark.usefixtures("compiled")


def random_diversity(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    d = rng.random((n, n)) * 100
    return np.triu(d, 1) + np.triu(d, 1).T


def setup(seed: int, n: int = 30, bounds=((4, 9),) * 5, locked=None):
    """Arrays for the kernel from a random rule-holding assignment."""
    rng = np.random.default_rng(seed)
    d = random_diversity(seed, n)
    m = len(bounds)
    lower = np.array([a for a, _ in bounds], dtype=np.int64)
    upper = np.array([b for _, b in bounds], dtype=np.int64)
    grp = np.repeat(np.arange(m), lower)
    while len(grp) < n:
        g = int(rng.integers(m))
        if (grp == g).sum() < upper[g]:
            grp = np.append(grp, g)
    grp = rng.permutation(grp).astype(np.int64)
    movable = np.ones(n, dtype=np.bool_)
    for i, g in (locked or {}).items():
        j = int(np.flatnonzero(grp == g)[0])
        grp[i], grp[j] = grp[j], grp[i]
        movable[i] = False
    size = np.bincount(grp, minlength=m).astype(np.int64)
    g_sum = kernel.sums(d, grp, m)
    rs = np.array([seed + 1], dtype=np.uint64)
    return d, g_sum, grp, size, lower, upper, movable, rs


def assert_consistent(d, g_sum, grp, size, lower, upper, movable, locked_at):
    m = len(lower)
    assert (grp >= 0).all() and (grp < m).all()
    assert (np.bincount(grp, minlength=m) == size).all()
    assert ((lower <= size) & (size <= upper)).all()
    assert np.allclose(g_sum, kernel.sums(d, grp, m))
    assert all(grp[i] == g for i, g in locked_at.items())


@pytest.mark.parametrize("seed", range(4))
def test_the_local_search_ends_where_no_move_or_swap_improves(seed):
    d, g_sum, grp, size, lower, upper, movable, _ = setup(seed, locked={3: 1, 7: 4})
    before = kernel.objective(g_sum, grp)
    gain = kernel.descent(d, g_sum, grp, size, lower, upper, movable)
    assert_consistent(d, g_sum, grp, size, lower, upper, movable, {3: 1, 7: 4})
    after = kernel.objective(g_sum, grp)
    assert gain > 0 and after == pytest.approx(before + gain)
    n, m = len(grp), len(lower)
    for v, h in itertools.product(range(n), range(m)):
        g = grp[v]
        if movable[v] and h != g and size[g] > lower[g] and size[h] < upper[h]:
            assert g_sum[h, v] - g_sum[g, v] <= 1e-6
    for x, y in itertools.combinations(range(n), 2):
        gx, gy = grp[x], grp[y]
        if movable[x] and movable[y] and gx != gy:
            gain = g_sum[gy, x] - g_sum[gx, x] + g_sum[gx, y] - g_sum[gy, y] - 2 * d[x, y]
            assert gain <= 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_tabu_search_leaves_the_best_assignment_it_visited(seed):
    bounds = ((6, 6),) * 5 if seed % 2 else ((4, 9),) * 5
    d, g_sum, grp, size, lower, upper, movable, rs = setup(seed, bounds=bounds, locked={2: 3})
    kernel.descent(d, g_sum, grp, size, lower, upper, movable)
    local_optimum = kernel.objective(g_sum, grp)
    gain = kernel.tabu(d, g_sum, grp, size, lower, upper, movable, 60, rs)
    size = np.bincount(grp, minlength=len(lower)).astype(np.int64)
    g_sum = kernel.sums(d, grp, len(lower))
    assert_consistent(d, g_sum, grp, size, lower, upper, movable, {2: 3})
    assert gain >= 0
    assert kernel.objective(g_sum, grp) == pytest.approx(local_optimum + gain)


@pytest.mark.parametrize("seed", range(4))
def test_shaking_keeps_sizes_locks_and_sums(seed):
    d, g_sum, grp, size, lower, upper, movable, rs = setup(seed, locked={0: 2})
    start = grp.copy()
    kernel.perturb(d, g_sum, grp, size, lower, upper, movable, 12, rs)
    assert_consistent(d, g_sum, grp, size, lower, upper, movable, {0: 2})
    assert (grp != start).any()


@pytest.mark.parametrize("seed", range(4))
def test_the_directed_perturbation_keeps_sizes_locks_and_sums(seed):
    bounds = ((6, 6),) * 5 if seed % 2 else ((4, 9),) * 5
    d, g_sum, grp, size, lower, upper, movable, rs = setup(seed, bounds=bounds, locked={5: 0})
    kernel.descent(d, g_sum, grp, size, lower, upper, movable)
    kernel.directed(d, g_sum, grp, size, lower, upper, movable, 3, rs)
    assert_consistent(d, g_sum, grp, size, lower, upper, movable, {5: 0})


@pytest.mark.parametrize("seed", range(6))
def test_a_crossover_child_keeps_sizes_and_locks(seed):
    bounds = ((3, 3), (5, 9), (4, 12), (6, 6), (2, 10))
    first = setup(seed, bounds=bounds, locked={1: 3, 2: 0})
    second = setup(seed + 50, bounds=bounds, locked={1: 3, 2: 0})
    d, _, grp, _, lower, upper, movable, rs = first
    child = kernel.crossover(d, grp, second[2], lower, upper, movable, rs)
    if child[0] >= 0:
        size = np.bincount(child, minlength=len(lower))
        assert ((lower <= size) & (size <= upper)).all()
        assert child[1] == 3 and child[2] == 0


def test_a_child_of_one_assignment_with_itself_is_that_assignment():
    d, _, grp, _, lower, upper, movable, rs = setup(3)
    child = kernel.crossover(d, grp, grp.copy(), lower, upper, movable, rs)
    assert (child == grp).all()


def test_the_generator_repeats_for_a_state_and_covers_its_range():
    first, second = np.array([7], dtype=np.uint64), np.array([7], dtype=np.uint64)
    drawn = [kernel.below(first, 10) for _ in range(200)]
    assert drawn == [kernel.below(second, 10) for _ in range(200)]
    assert set(drawn) == set(range(10))


def test_problems_with_sizes_and_locks_only_take_the_population_search(monkeypatch):
    calls = []
    for name in ("descent", "tabu"):
        step = getattr(kernel, name)
        monkeypatch.setattr(kernel, name, lambda *a, step=step: calls.append(1) or step(*a))
    problem = Problem(random_diversity(1, 40), [(6, 10)] * 5, locked={0: 0})
    solve(problem, seconds=60, seed=1, method="search", max_iterations=40)
    assert len(calls) == 40
    calls.clear()
    ruled = Problem(random_diversity(1, 40), [(6, 10)] * 5, cannot_link=[(0, 1)])
    solve(ruled, seconds=60, seed=1, method="search", max_iterations=20)
    assert not calls


@pytest.mark.parametrize("bounds", [[(8, 8)] * 6, [(5, 11)] * 6])
def test_the_population_search_repeats_for_a_seed(bounds):
    problem = Problem(random_diversity(2, 48), bounds, locked={3: 2})
    first = solve(problem, seconds=60, seed=4, max_iterations=120)
    again = solve(problem, seconds=60, seed=4, max_iterations=120)
    other = solve(problem, seconds=60, seed=5, max_iterations=120)
    assert first.feasible and first.assignment[3] == 2
    assert first.assignment == again.assignment and first.iterations == again.iterations == 120
    assert first.objective == pytest.approx(problem.objective(np.array(first.assignment)))
    assert other.feasible


def test_no_iterations_give_the_start_unimproved():
    problem = Problem(random_diversity(2, 48), [(8, 8)] * 6)
    start = solve(problem, seconds=60, seed=4, max_iterations=0)
    better = solve(problem, seconds=60, seed=4, max_iterations=30)
    assert start.feasible and start.iterations == 0
    assert better.objective > start.objective


def test_a_large_seed_works_as_well_as_a_small_one():
    problem = Problem(random_diversity(4, 30), [(5, 5)] * 6)
    solution = solve(problem, seconds=60, seed=2**70 + 3, max_iterations=20)
    assert solution.feasible and solution.iterations == 20
