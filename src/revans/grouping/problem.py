"""What a grouping problem is, what a solution is, and how an assignment is checked against
the rules.

Items are numbered 0..n-1 and groups 0..m-1. The objective is the sum of the diversities of the
pairs placed in the same group (the Maximally Diverse Grouping Problem); every rule is hard.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

Assignment = npt.NDArray[np.int64]
"""An assignment as the searches hold it: the group of item i at index i."""

Groups = Sequence[int] | npt.NDArray[np.integer]
"""An assignment as a caller may give it: a list or any integer array."""


class Infeasible(ValueError):
    """No assignment can hold every rule. ``reasons`` says which rules, one sentence each."""

    def __init__(self, reasons: Sequence[str]):
        self.reasons = list(reasons)
        super().__init__("no assignment holds every rule: " + "; ".join(self.reasons))


@dataclass
class Problem:
    """n items with a symmetric diversity matrix, m groups with bounds [a_g, b_g], and rules.

    ``organisation`` labels each item (None for no label) and ``max_per_organisation`` caps how
    many items of one label a group may hold. ``availability`` gives each item its set of slots;
    the members of every group must share at least one slot. ``locked`` fixes items to groups.
    """

    diversity: npt.NDArray[np.float64]
    bounds: list[tuple[int, int]]
    cannot_link: list[tuple[int, int]] = field(default_factory=list)
    must_link: list[tuple[int, int]] = field(default_factory=list)
    organisation: Sequence[Hashable | None] | None = None
    max_per_organisation: int | None = None
    availability: Sequence[frozenset[Hashable]] | None = None
    locked: Mapping[int, int] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        d = np.asarray(self.diversity, dtype=float)
        if d.ndim != 2 or d.shape[0] != d.shape[1]:
            raise ValueError(f"the diversity matrix must be square, not {d.shape}")
        if not np.allclose(d, d.T):
            raise ValueError("the diversity matrix must be symmetric")
        d = d.copy()
        np.fill_diagonal(d, 0.0)
        self.diversity = d
        self.bounds = [(int(a), int(b)) for a, b in self.bounds]
        if not self.bounds:
            raise ValueError("there must be at least one group")
        n = self.n
        for name, pairs in (("cannot-link", self.cannot_link), ("must-link", self.must_link)):
            for i, j in pairs:
                if not (0 <= i < n and 0 <= j < n) or i == j:
                    raise ValueError(
                        f"{name} pair ({i}, {j}) does not name two items of 0..{n - 1}"
                    )
        for label, values in (
            ("organisation", self.organisation),
            ("availability", self.availability),
        ):
            if values is not None and len(values) != n:
                raise ValueError(f"{label} has {len(values)} entries for {n} items")
        if self.organisation is not None and self.max_per_organisation is None:
            raise ValueError("organisation labels need max_per_organisation")
        if self.availability is not None:
            # Callers may give any iterables of slots; the engine relies on frozensets.
            self.availability = [frozenset(slots) for slots in self.availability]
        for item in self.locked:
            if not 0 <= item < n:
                raise ValueError(f"locked item {item} is not one of 0..{n - 1}")

    @property
    def n(self) -> int:
        return int(self.diversity.shape[0])

    @property
    def m(self) -> int:
        return len(self.bounds)

    def objective(self, assignment: Groups) -> float:
        """The sum of the diversities of pairs in the same group."""
        return float(sum(self.group_scores(assignment)))

    def group_scores(self, assignment: Groups) -> list[float]:
        """Each group's sum of the diversities of its pairs."""
        a = np.asarray(assignment)
        onehot = np.zeros((self.n, self.m))
        onehot[np.arange(self.n), a] = 1.0
        return [float(v) for v in 0.5 * np.einsum("ig,ij,jg->g", onehot, self.diversity, onehot)]


class RuleKind(StrEnum):
    """What a rule is about, named where the rule is checked (nobody reads it off the text)."""

    SIZE = "size"
    MANAGER = "manager"  # a manager and their report (a cohort's cannot-link pair)
    APART = "apart"
    TOGETHER = "together"
    ORGANISATION = "organisation"
    AVAILABILITY = "availability"
    LOCK = "lock"


@dataclass(frozen=True)
class RuleCheck:
    """One rule of a problem and whether an assignment holds it; ``group`` is the group it
    concerns, when there is one (for a pair: their group when they share one)."""

    rule: str
    held: bool
    detail: str
    group: int | None = None
    kind: RuleKind = field(kw_only=True)


@dataclass
class Solution:
    """An assignment (group of item i at index i), its objective, each group's score, the
    report of every rule, whether the objective is proven optimal, and how many steps the
    search took (tabu iterations, or local searches in the population search)."""

    assignment: list[int]
    objective: float
    group_scores: list[float]
    rules: list[RuleCheck]
    optimal: bool = False
    iterations: int = 0

    @property
    def feasible(self) -> bool:
        return all(check.held for check in self.rules)


def make_solution(
    problem: Problem, assignment: Groups, *, optimal: bool = False, iterations: int = 0
) -> Solution:
    """Score an assignment and report every rule on it."""
    groups = [int(g) for g in assignment]
    scores = problem.group_scores(groups)
    return Solution(
        groups, float(sum(scores)), scores, report(problem, groups), optimal, iterations
    )


def report(problem: Problem, assignment: Sequence[int]) -> list[RuleCheck]:
    """Check every rule of ``problem`` on ``assignment``: sizes of each group, each cannot-link
    and must-link pair, the organisation cap in each group, a shared slot in each group, and
    each locked item."""
    groups: list[list[int]] = [[] for _ in range(problem.m)]
    for item, g in enumerate(assignment):
        groups[g].append(item)
    checks = []
    for g, (a, b) in enumerate(problem.bounds):
        size = len(groups[g])
        checks.append(
            RuleCheck(
                f"size of group {g}",
                a <= size <= b,
                f"{size} items, {a}..{b} allowed",
                kind=RuleKind.SIZE,
            )
        )
    for i, j in problem.cannot_link:
        apart = assignment[i] != assignment[j]
        where = "apart" if apart else f"both in group {assignment[i]}"
        checks.append(RuleCheck(f"keep {i} and {j} apart", apart, where, kind=RuleKind.APART))
    for i, j in problem.must_link:
        together = assignment[i] == assignment[j]
        where = (
            f"both in group {assignment[i]}"
            if together
            else f"in groups {assignment[i]} and {assignment[j]}"
        )
        checks.append(
            RuleCheck(f"keep {i} and {j} together", together, where, kind=RuleKind.TOGETHER)
        )
    if problem.organisation is not None:
        k = problem.max_per_organisation
        assert k is not None  # Problem requires a cap with organisation labels
        for g, members in enumerate(groups):
            counts: dict[Hashable, int] = {}
            for item in members:
                label = problem.organisation[item]
                if label is not None:
                    counts[label] = counts.get(label, 0) + 1
            over = {label: c for label, c in counts.items() if c > k}
            detail = (
                ", ".join(f"{c} from {label}" for label, c in over.items())
                if over
                else f"no organisation over {k}"
            )
            checks.append(
                RuleCheck(
                    f"at most {k} per organisation in group {g}",
                    not over,
                    detail,
                    kind=RuleKind.ORGANISATION,
                )
            )
    if problem.availability is not None:
        for g, members in enumerate(groups):
            shared = (
                frozenset.intersection(*(problem.availability[i] for i in members))
                if members
                else None
            )
            held = shared is None or bool(shared)
            detail = (
                "empty group"
                if shared is None
                else f"shared slots: {', '.join(sorted(map(str, shared)))}"
                if shared
                else "no slot shared by every member"
            )
            checks.append(
                RuleCheck(f"a shared slot in group {g}", held, detail, kind=RuleKind.AVAILABILITY)
            )
    for item, g in sorted(problem.locked.items()):
        checks.append(
            RuleCheck(
                f"{item} locked in group {g}",
                assignment[item] == g,
                f"in group {assignment[item]}",
                kind=RuleKind.LOCK,
            )
        )
    return checks


def impossibilities(problem: Problem) -> list[str]:
    """Reasons no assignment can hold every rule, found without searching (empty when none is
    plain). A problem that passes can still be infeasible; the search then says so."""
    n, m = problem.n, problem.m
    reasons = []
    low = sum(a for a, _ in problem.bounds)
    high = sum(b for _, b in problem.bounds)
    for g, (a, b) in enumerate(problem.bounds):
        if a > b or b < 0:
            reasons.append(f"group {g} has bounds {a}..{b}")
    if low > n:
        reasons.append(f"the groups' minimum sizes add up to {low}, more than the {n} items")
    if high < n:
        reasons.append(f"the groups' maximum sizes add up to {high}, fewer than the {n} items")
    for item, g in problem.locked.items():
        if not 0 <= g < m:
            reasons.append(f"item {item} is locked in group {g}, which does not exist")
    units = must_link_units(n, problem.must_link)
    unit_of = {i: u for u, unit in enumerate(units) for i in unit}
    biggest = max(b for _, b in problem.bounds)
    for unit in units:
        if len(unit) > biggest:
            reasons.append(f"items {unit} must be together but no group holds {len(unit)}")
        locks = {problem.locked[i] for i in unit if i in problem.locked}
        if len(locks) > 1:
            reasons.append(
                f"items {unit} must be together but are locked in groups {sorted(locks)}"
            )
    for i, j in problem.cannot_link:
        if unit_of[i] == unit_of[j]:
            reasons.append(f"items {i} and {j} must be kept apart and together")
        if i in problem.locked and problem.locked.get(j) == problem.locked[i]:
            reasons.append(f"items {i} and {j} must be kept apart but are locked in the same group")
    clique = _large_clique(n, problem.cannot_link)
    if len(clique) > m:
        reasons.append(
            f"items {sorted(clique)} must all be kept apart from each other, "
            f"but there {'is only 1 group' if m == 1 else f'are only {m} groups'}"
        )
    if problem.organisation is not None:
        k = problem.max_per_organisation
        assert k is not None  # Problem requires a cap with organisation labels
        counts: dict[Hashable, int] = {}
        for label in problem.organisation:
            if label is not None:
                counts[label] = counts.get(label, 0) + 1
        for label, c in counts.items():
            if c > k * m:
                reasons.append(f"{c} items from {label}, more than {k} in each of {m} groups")
    if problem.availability is not None:
        for item, slots in enumerate(problem.availability):
            if not slots:
                reasons.append(f"item {item} has no available slot")
        for unit in units:
            if len(unit) > 1 and not frozenset.intersection(
                *(problem.availability[i] for i in unit)
            ):
                reasons.append(f"items {unit} must be together but share no slot")
    return reasons


def must_link_units(n: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The items joined by must-link pairs, as sorted lists (singletons included)."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(i)] = root(j)
    units: dict[int, list[int]] = {}
    for i in range(n):
        units.setdefault(root(i), []).append(i)
    return sorted(units.values())


def _large_clique(n: int, pairs: Iterable[tuple[int, int]]) -> set[int]:
    """A large clique of the cannot-link graph, grown greedily from each item (not always the
    largest: finding that is NP-hard, and a missed clique is caught by the search)."""
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for i, j in pairs:
        neighbours[i].add(j)
        neighbours[j].add(i)
    best: set[int] = set()
    for start in range(n):
        if len(neighbours[start]) < len(best):
            continue
        clique = {start}
        candidates = set(neighbours[start])
        while candidates:
            pick = max(candidates, key=lambda v: (len(neighbours[v] & candidates), -v))
            clique.add(pick)
            candidates &= neighbours[pick]
        if len(clique) > len(best):
            best = clique
    return best
