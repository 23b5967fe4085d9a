"""Forming diverse groups under hard rules: the Maximally Diverse Grouping Problem with
cannot-link, must-link, organisation caps, shared availability and locked items.

    from revans.grouping import Problem, solve
    solution = solve(Problem(diversity, bounds=[(6, 8)] * 5, cannot_link=[(0, 3)]), seconds=5, seed=1)

Imports nothing from Django.
"""

import re
from collections.abc import Sequence

from .problem import (
    Infeasible,
    Part,
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
    each rule that cannot be held, when no assignment holds them all. A problem with groups of
    their own (``Problem.own_groups``) is solved part by part, each part given a share of
    ``seconds`` (and of ``max_iterations``) by its number of items."""
    if method not in ("auto", "exact", "search"):
        raise ValueError(f"method must be auto, exact or search, not {method!r}")
    if problem.own_groups:
        return _solve_parts(problem, seconds, seed, progress, method, max_iterations)
    if method == "exact" or (method == "auto" and problem.n <= EXACT_UP_TO):
        from .exact import exact

        assignment = exact(problem)
        if progress is not None:
            progress(1.0, problem.objective(assignment))
        return make_solution(problem, assignment, optimal=True)
    from .search import search

    assignment, iterations = search(problem, seconds, seed, progress, max_iterations)
    return make_solution(problem, assignment, iterations=iterations)


def _solve_parts(
    problem: Problem,
    seconds: float,
    seed: int,
    progress: Progress | None,
    method: str,
    max_iterations: int | None,
) -> Solution:
    """Solve each part of ``problem`` (see ``Problem.parts``) on its own and join the parts:
    no rule links two parts, so the best of each part is the best of the whole."""
    reasons = impossibilities(problem)
    if reasons:
        raise Infeasible(reasons)
    assignment = [0] * problem.n
    done, total, iterations, optimal = 0, 0.0, 0, True
    stopped = False
    failures: list[str] = []
    for part in problem.parts():
        if not part.items:
            continue
        share = len(part.items) / problem.n

        def part_progress(
            fraction: float,
            best: float,
            start: int = done,
            size: int = len(part.items),
            before: float = total,
        ) -> bool:
            nonlocal stopped
            if not stopped and progress is not None:
                stopped = bool(progress((start + fraction * size) / problem.n, before + best))
            return stopped

        try:
            solution = solve(
                problem.part(part),
                seconds * share,
                seed,
                part_progress,
                method=method,
                # Once a part has failed, the others are only checked for a first assignment.
                max_iterations=0
                if failures
                else None
                if max_iterations is None
                else max(1, round(max_iterations * share)),
            )
        except Infeasible as error:
            failures += [_in_whole(reason, part) for reason in error.reasons]
            continue
        if failures:
            continue
        for k, g in enumerate(solution.assignment):
            assignment[part.items[k]] = part.groups[g]
        done += len(part.items)
        total += solution.objective
        iterations += solution.iterations
        optimal = optimal and solution.optimal
    if failures:
        raise Infeasible(failures)
    return make_solution(problem, assignment, optimal=optimal, iterations=iterations)


def _in_whole(reason: str, part: Part) -> str:
    """A sentence about one part's problem (its items and groups numbered from 0) with the
    whole problem's numbers instead, and the part named when the sentence names no item."""

    def numbers(match: re.Match[str], of: Sequence[int]) -> str:
        return re.sub(r"\d+", lambda n: str(of[int(n.group(0))]), match.group(0))

    # "items [3, 4]", "item 3", "items 3 and 4"; "groups [0, 1]", "group 2".
    reason = re.sub(
        r"\bitems? (?:\[[\d, ]+\]|\d+(?: and \d+)?)", lambda m: numbers(m, part.items), reason
    )
    named = re.search(r"\bitems? [\[\d]", reason)
    reason = re.sub(r"\bgroups? (?:\[[\d, ]+\]|\d+)", lambda m: numbers(m, part.groups), reason)
    if named:
        return reason
    who = (
        f"{len(part.items)} items to mix"
        if part.label is None
        else f"{len(part.items)} items from {part.label}"
    )
    return f"{who}: {reason}"
