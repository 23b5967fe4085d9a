"""Proven optima for small problems, by dynamic programming over subsets of items.

Every rule is a property of one group (who is in it), so a subset T of items either may form
group g or may not. F_g(S), the best value of placing exactly the items S in groups 0..g-1, is
max over T ⊆ S that may form group g of F_{g-1}(S \\ T) + w(T), where w(T) is the sum of the
diversities of T's pairs; the optimum is F_m(all items). That is m·3^n steps, each a numpy
operation over 2^n subsets: under a second for n = 12, and it checks every assignment, so the
result is optimal (or there is none).
"""

import numpy as np

from .problem import Assignment, Infeasible, Problem, impossibilities

EXACT_LIMIT = 14


def exact(problem: Problem) -> Assignment:
    """The optimal assignment. Raises Infeasible when no assignment holds every rule, and
    ValueError for more than EXACT_LIMIT items (2^n subsets)."""
    n, m, d = problem.n, problem.m, problem.diversity
    if n > EXACT_LIMIT:
        raise ValueError(f"the exact method handles up to {EXACT_LIMIT} items, not {n}")
    if problem.own_groups:
        raise ValueError("groups of their own are solved part by part: call grouping.solve")
    reasons = impossibilities(problem)
    if reasons:
        raise Infeasible(reasons)
    masks = np.arange(1 << n, dtype=np.int64)
    bits = [(masks >> i) & 1 for i in range(n)]
    count = sum(bits)
    weight = np.zeros(1 << n)
    for i in range(n):
        for j in range(i + 1, n):
            if d[i, j]:
                weight += d[i, j] * (bits[i] & bits[j])
    allowed = np.ones(1 << n, dtype=bool)
    for i, j in problem.cannot_link:
        allowed &= (bits[i] & bits[j]) == 0
    for i, j in problem.must_link:
        allowed &= bits[i] == bits[j]
    if problem.organisation is not None:
        cap = problem.max_per_organisation
        assert cap is not None  # Problem requires a cap with organisation labels
        for label in {o for o in problem.organisation if o is not None}:
            members = sum(bits[i] for i, o in enumerate(problem.organisation) if o == label)
            allowed &= members <= cap
    if problem.availability is not None:
        slots = {s for a in problem.availability for s in a}
        shared = np.zeros(1 << n, dtype=bool)
        for slot in slots:
            away = sum(1 << i for i in range(n) if slot not in problem.availability[i])
            shared |= (masks & away) == 0
        allowed &= shared | (masks == 0)

    full = (1 << n) - 1
    best = np.full(1 << n, -np.inf)
    best[0] = 0.0
    choices = []
    for g, (a, b) in enumerate(problem.bounds):
        inside = sum(1 << i for i, h in problem.locked.items() if h == g)
        outside = sum(1 << i for i, h in problem.locked.items() if h != g)
        fits = allowed & (count >= a) & (count <= b) & ((masks & inside) == inside)
        fits &= (masks & outside) == 0
        following = np.full(1 << n, -np.inf)
        choice = np.zeros(1 << n, dtype=np.int64)
        if g == m - 1:
            # The last group takes whatever is left: only the full set matters.
            rest = full ^ masks
            value = np.where(fits[rest], best + weight[rest], -np.inf)
            k = int(np.argmax(value))
            following[full], choice[full] = value[k], rest[k]
        else:
            reached = masks[best > -np.inf]
            for group in np.flatnonzero(fits):
                before = reached[(reached & group) == 0]
                after = before | group
                value = best[before] + weight[group]
                better = value > following[after]
                following[after[better]] = value[better]
                choice[after[better]] = group
        best = following
        choices.append(choice)
    if best[full] == -np.inf:
        raise Infeasible(["no assignment holds every rule (every assignment was checked)"])
    assignment = np.zeros(n, dtype=np.int64)
    left = full
    for g in range(m - 1, -1, -1):
        chosen = int(choices[g][left])
        assignment[[i for i in range(n) if chosen >> i & 1]] = g
        left ^= chosen
    return assignment
