"""The population search for problems whose only rules are group sizes and locked items (the
Maximally Diverse Grouping Problem itself), on the compiled loops of kernel.py: the three-phase
search with a shrinking population of Yang et al. (2022), then an iterated tabu search from the
best assignment found.

A population of assignments, each improved by local search, goes through generations of three
phases: every member is shaken by random moves and swaps and improved again (it is replaced
even when worse, which keeps the population spread out); every member is crossed with another,
and the improved child replaces it when at least as good; every member gives up and takes back
its least fitting items (a directed perturbation) and is improved again. The population
shrinks, and the shaking weakens, as the time passes: wide exploration first, then
concentration on the best. For the last part of the time the best assignment alone is shaken
a little and improved by tabu search, over and over, keeping each result at least as good
(iterated tabu search, as in Lai & Hao 2016): tabu search finds what local search misses.

Measured on MDGPLIB against the three phases alone, at the same load and seed: the final
phase raised the Geo instances by 0.03–0.05 % at n = 120, 240 and 480 and RanInt_n480_ss_01
from 1.0017 to 1.0020 of TPSDP's average, and left the random families at n = 240 as they
were within the noise of one run (± 0.1 % an instance). A tabu search of every crossover
child as well helped Geo but cost the random families too many generations (at n = 480,
RanInt_n480_ss_01 fell to 0.9974).
"""

from collections.abc import Callable
from typing import Protocol

import numpy as np

from . import kernel
from .problem import Assignment, Problem

POPULATION_START, POPULATION_END = 15, 2  # members at the start and at the end of the time
SHAKE_START, SHAKE_END = 1.2, 0.1  # random moves per shake, in units of the mean group size
SHAKE_START_LARGE, SHAKE_END_LARGE, POPULATION_END_LARGE = 2.0, 1.0, 1  # above LARGE items
LARGE = 400  # TPSDP's settings for larger problems apply above this many items
DIRECTED_ROUNDS = 3
TABU_DEPTH = 1.0  # a tabu search ends after this many × n iterations without a new best
FINAL = 0.8  # share of the budget after which only the best assignment is searched on
FINAL_SHAKE = 0.5  # random moves per shake in the final phase, in units of the mean group size


class Budget(Protocol):
    """What the population search needs of its caller (search.py's run): a clock that raises
    when the time or the iterations are spent, a count, and a place to offer assignments.
    Named here so that this module does not import search.py, which imports it."""

    iteration: int

    def tick(self) -> None: ...

    def used(self) -> float: ...

    def offer(self, grp: Assignment, value: float) -> None: ...


class _Member:
    """An assignment with its sizes, its sums and its objective."""

    __slots__ = ("g_sum", "grp", "size", "value")

    def __init__(self, grp: kernel.Ints, g_sum: kernel.Floats, size: kernel.Ints, value: float):
        self.grp, self.g_sum, self.size, self.value = grp, g_sum, size, value

    def copy(self) -> "_Member":
        return _Member(self.grp.copy(), self.g_sum.copy(), self.size.copy(), self.value)


def memetic(problem: Problem, starts: Callable[[int], Assignment], run: Budget, seed: int) -> None:
    """Search from the assignments ``starts(k)`` (k = 0, 1, ...) until ``run.tick()`` raises
    (the time or the iterations are spent). Each local or tabu search counts as one iteration
    of ``run`` and offers its result with ``run.offer(grp, value)``; ``run.used()``, the share
    of the budget spent, sets the population size, the strength of the shaking and when the
    final phase begins."""
    d = np.ascontiguousarray(problem.diversity, dtype=np.float64)
    n, m = problem.n, problem.m
    lower = np.array([a for a, _ in problem.bounds], dtype=np.int64)
    upper = np.array([b for _, b in problem.bounds], dtype=np.int64)
    movable = np.ones(n, dtype=np.bool_)
    movable[list(problem.locked)] = False
    if not movable.any():
        return
    rs = np.array([(seed * 0x9E3779B1 + 0x7F4A7C15) % 2**64], dtype=np.uint64)
    large = n > LARGE
    shake_start, shake_end = (
        (SHAKE_START_LARGE, SHAKE_END_LARGE) if large else (SHAKE_START, SHAKE_END)
    )
    end_size = POPULATION_END_LARGE if large else POPULATION_END
    depth = max(1, int(TABU_DEPTH * n))

    def fresh(grp: Assignment) -> _Member:
        grp = np.asarray(grp, dtype=np.int64).copy()
        g_sum = kernel.sums(d, grp, m)
        size = np.bincount(grp, minlength=m).astype(np.int64)
        return _Member(grp, g_sum, size, kernel.objective(g_sum, grp))

    def improve(member: _Member) -> _Member:
        run.tick()
        run.iteration += 1
        member.value += kernel.descent(
            d, member.g_sum, member.grp, member.size, lower, upper, movable
        )
        run.offer(member.grp, member.value)
        return member

    def deepen(member: _Member) -> _Member:
        run.tick()
        run.iteration += 1
        kernel.tabu(d, member.g_sum, member.grp, member.size, lower, upper, movable, depth, rs)
        member = fresh(member.grp)  # the sums of the best visited, without rounding drift
        run.offer(member.grp, member.value)
        return member

    def shake(member: _Member, strength: int) -> _Member:
        kernel.perturb(
            d, member.g_sum, member.grp, member.size, lower, upper, movable, strength, rs
        )
        member.value = kernel.objective(member.g_sum, member.grp)
        return member

    population = [improve(fresh(starts(k))) for k in range(POPULATION_START)]
    while run.used() < FINAL:
        phase = run.used() / FINAL  # the share of the population phase spent
        strength = max(1, int((shake_start - (shake_start - shake_end) * phase) * n / m))
        for k, member in enumerate(population):
            population[k] = improve(shake(member, strength))
        if len(population) > 1:
            children = []
            for k, member in enumerate(population):
                other = kernel.below(rs, len(population) - 1)
                other += other >= k
                grp = kernel.crossover(
                    d, member.grp, population[other].grp, lower, upper, movable, rs
                )
                children.append(None if grp[0] < 0 else improve(fresh(grp)))
            for k, child in enumerate(children):
                if child is not None and child.value >= population[k].value:
                    population[k] = child
        for k, member in enumerate(population):
            kernel.directed(
                d, member.g_sum, member.grp, member.size, lower, upper, movable, DIRECTED_ROUNDS, rs
            )
            member.value = kernel.objective(member.g_sum, member.grp)
            population[k] = improve(member)
        population.sort(key=lambda member: -member.value)
        phase = run.used() / FINAL
        keep = round(POPULATION_START - (POPULATION_START - end_size) * phase)
        del population[max(end_size, keep) :]
    best = max(population, key=lambda member: member.value)
    strength = max(1, int(FINAL_SHAKE * n / m))
    while True:
        trial = deepen(shake(best.copy(), strength))
        if trial.value >= best.value:
            best = trial
