"""Forming diverse groups under hard rules: the Maximally Diverse Grouping Problem with
cannot-link, must-link, organisation caps, shared availability and locked items.

    from revans.grouping import Problem, solve
    solution = solve(Problem(diversity, bounds=[(6, 8)] * 5, cannot_link=[(0, 3)]), seconds=5, seed=1)

Imports nothing from Django.
"""

from .problem import (
    Infeasible,
    Problem,
    RuleCheck,
    RuleKind,
    Solution,
    impossibilities,
    make_solution,
    report,
)
from .search import Progress

EXACT_UP_TO = 12
"""Problems with at most this many items are solved exactly (optimality proven)."""

__all__ = [
    "EXACT_UP_TO",
    "Infeasible",
    "Problem",
    "Progress",
    "RuleCheck",
    "RuleKind",
    "Solution",
    "impossibilities",
    "report",
    "solve",
]


def solve(
    problem: Problem,
    seconds: float,
    seed: int = 0,
    progress: Progress | None = None,
    *,
    method: str = "auto",
    max_iterations: int | None = None,
) -> Solution:
    """The most diverse assignment found within ``seconds`` that holds every rule.

    ``method`` "exact" proves optimality (up to 14 items; it checks every assignment, so it
    ignores ``seconds``), "search" runs the metaheuristic, and "auto" picks exact up to
    EXACT_UP_TO items. The same seed gives the same search path, so the
    same result whenever the run is bounded by ``max_iterations`` rather than by time.
    ``progress(fraction, best)`` is called now and then; when it returns True the search stops
    with the best assignment so far. Raises Infeasible, with a reason for
    each rule that cannot be held, when no assignment holds them all."""
    if method not in ("auto", "exact", "search"):
        raise ValueError(f"method must be auto, exact or search, not {method!r}")
    if method == "exact" or (method == "auto" and problem.n <= EXACT_UP_TO):
        from .exact import exact

        assignment = exact(problem)
        if progress is not None:
            progress(1.0, problem.objective(assignment))
        return make_solution(problem, assignment, optimal=True)
    from .search import search

    assignment, iterations = search(problem, seconds, seed, progress, max_iterations)
    return make_solution(problem, assignment, iterations=iterations)
