"""Group-based crossover: a child that inherits whole groups from two good assignments.

Taking in turn from each parent its best group (counting only the items not yet placed), then
placing the items left over greedily, keeps the groups both parents got right and mixes the
rest, so a tabu search started from the child explores new ground near good solutions (the
crossover of the three-phase search of Yang et al. 2022). It is used when the only rules are
group sizes, locked items and must-link: whole groups keep those, and the repair places the
items left over unit by unit.
"""

import numpy as np

from .problem import Assignment, Problem


def crossover(
    problem: Problem,
    units: list[list[int]],
    first: Assignment,
    second: Assignment,
    rng: np.random.Generator,
) -> Assignment | None:
    """A child of two assignments that holds the size, locked and must-link rules, or None
    when the greedy repair cannot place a unit."""
    n, m, d = problem.n, problem.m, problem.diversity
    child = np.full(n, -1, dtype=np.int64)
    taken = np.zeros(m, dtype=bool)
    parents = (first, second)
    turn = int(rng.integers(2))
    for _ in range(m):
        parent = parents[turn]
        turn = 1 - turn
        free = np.flatnonzero(child < 0)
        onehot = np.zeros((len(free), m))
        onehot[np.arange(len(free)), parent[free]] = 1.0
        # Each group's sum of diversities among its items not yet placed.
        inner = 0.5 * np.einsum("ig,ig->g", onehot, d[np.ix_(free, free)] @ onehot)
        inner[taken] = -np.inf
        g = int(np.argmax(inner))
        child[free[parent[free] == g]] = g
        taken[g] = True
    return _place_the_rest(problem, units, child, rng)


def _place_the_rest(
    problem: Problem, units: list[list[int]], child: Assignment, rng: np.random.Generator
) -> Assignment | None:
    """Put each unit not yet placed where it adds most, in random order, keeping enough items
    back to bring every group up to its minimum size."""
    m, d = problem.m, problem.diversity
    lower = np.array([a for a, _ in problem.bounds])
    upper = np.array([b for _, b in problem.bounds])
    placed = child >= 0
    onehot = np.zeros((problem.n, m))
    onehot[placed, child[placed]] = 1.0
    g_sum = d @ onehot
    size = onehot.sum(axis=0).astype(np.int64)
    left = [unit for unit in units if child[unit[0]] < 0]
    remaining = sum(len(unit) for unit in left)
    for k in rng.permutation(len(left)):
        unit = left[k]
        locks = {problem.locked[i] for i in unit if i in problem.locked}
        fits = size + len(unit) <= upper
        if locks:
            fits &= np.arange(m) == locks.pop()
        short = size < lower
        if np.maximum(lower - size, 0).sum() > remaining - len(unit) and (fits & short).any():
            fits &= short
        if not fits.any():
            return None
        gain = np.where(fits, g_sum[unit].sum(axis=0), -np.inf)
        h = int(np.argmax(gain))
        child[unit] = h
        g_sum[:, h] += d[:, unit].sum(axis=1)
        size[h] += len(unit)
        remaining -= len(unit)
    if (size < lower).any():
        return None
    return child
