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
    ``own_groups`` gives labels groups of their own (in-company sets): the items of such a label
    are all in its groups and nobody else is, and the cap does not apply there; a label given
    no groups cannot be held. Such a problem is solved part by part (``parts``).
    """

    diversity: npt.NDArray[np.float64]
    bounds: list[tuple[int, int]]
    cannot_link: list[tuple[int, int]] = field(default_factory=list)
    must_link: list[tuple[int, int]] = field(default_factory=list)
    organisation: Sequence[Hashable | None] | None = None
    max_per_organisation: int | None = None
    availability: Sequence[frozenset[Hashable]] | None = None
    locked: Mapping[int, int] = field(default_factory=dict)
    own_groups: Mapping[Hashable, Sequence[int]] = field(default_factory=dict)
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
        if self.own_groups:
            if self.organisation is None:
                raise ValueError("groups of their own need organisation labels")
            self.own_groups = {label: [int(g) for g in gs] for label, gs in self.own_groups.items()}
            owned = [g for gs in self.own_groups.values() for g in gs]
            for g in owned:
                if not 0 <= g < self.m:
                    raise ValueError(f"group {g} of its own is not one of 0..{self.m - 1}")
            if len(set(owned)) < len(owned):
                raise ValueError("a group can be the own group of one label only")

    @property
    def n(self) -> int:
        return int(self.diversity.shape[0])

    @property
    def m(self) -> int:
        return len(self.bounds)

    def owner(self) -> dict[int, Hashable]:
        """The label each group of its own belongs to."""
        return {g: label for label, gs in self.own_groups.items() for g in gs}

    def parts(self) -> list["Part"]:
        """The independent parts of a problem with groups of their own: each such label's items
        with its groups, then every other item with every other group (a part with no items
        and no groups is left out). Without groups of their own, one part: the whole."""
        if not self.own_groups:
            return [Part(None, list(range(self.n)), list(range(self.m)))]
        assert self.organisation is not None  # checked in __post_init__
        owned = self.owner()
        parts = [
            Part(label, [i for i, o in enumerate(self.organisation) if o == label], list(gs))
            for label, gs in self.own_groups.items()
        ]
        rest = Part(
            None,
            [i for i, o in enumerate(self.organisation) if o not in self.own_groups],
            [g for g in range(self.m) if g not in owned],
        )
        if rest.items or rest.groups:
            parts.append(rest)
        return parts

    def part(self, part: "Part") -> "Problem":
        """The problem of one part alone, its items and groups numbered from 0 (pairs across
        parts are left out: a cannot-link pair across parts always holds, and a must-link one
        never does, which ``impossibilities`` says)."""
        item = {i: k for k, i in enumerate(part.items)}
        group = {g: k for k, g in enumerate(part.groups)}
        cannot = [(item[i], item[j]) for i, j in self.cannot_link if i in item and j in item]
        must = [(item[i], item[j]) for i, j in self.must_link if i in item and j in item]
        labels = self.organisation if part.label is None else None  # one label needs no cap
        return Problem(
            self.diversity[np.ix_(part.items, part.items)],
            [self.bounds[g] for g in part.groups],
            cannot_link=cannot,
            must_link=must,
            organisation=[labels[i] for i in part.items] if labels is not None else None,
            max_per_organisation=self.max_per_organisation if labels is not None else None,
            availability=[self.availability[i] for i in part.items]
            if self.availability is not None
            else None,
            locked={item[i]: group[g] for i, g in self.locked.items() if i in item and g in group},
            name=self.name,
        )

    def objective(self, assignment: Groups) -> float:
        """The sum of the diversities of pairs in the same group."""
        return float(sum(self.group_scores(assignment)))

    def group_scores(self, assignment: Groups) -> list[float]:
        """Each group's sum of the diversities of its pairs."""
        a = np.asarray(assignment)
        onehot = np.zeros((self.n, self.m))
        onehot[np.arange(self.n), a] = 1.0
        return [float(v) for v in 0.5 * np.einsum("ig,ij,jg->g", onehot, self.diversity, onehot)]


@dataclass
class Part:
    """Items and the groups they go in, apart from the rest: a label's items and its own groups
    (``label``), or everyone else (``label`` None)."""

    label: Hashable | None
    items: list[int]
    groups: list[int]


class RuleKind(StrEnum):
    """What a rule is about, named where the rule is checked (nobody reads it off the text)."""

    SIZE = "size"
    MANAGER = "manager"  # a manager and their report (a cohort's cannot-link pair)
    APART = "apart"
    TOGETHER = "together"
    ORGANISATION = "organisation"
    AVAILABILITY = "availability"
    LOCK = "lock"
    OWN_GROUPS = "own_groups"  # a label's groups of their own (in-company sets)


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
    owner = problem.owner()
    if problem.organisation is not None:
        k = problem.max_per_organisation
        assert k is not None  # Problem requires a cap with organisation labels
        for g, members in enumerate(groups):
            if g in owner:
                continue  # a group of its own holds one label only
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
    return checks + own_group_checks(problem, assignment)


def own_group_checks(problem: Problem, assignment: Sequence[int]) -> list[RuleCheck]:
    """For each label with groups of its own: each of its groups holds only its items, and
    each of its items is in one of them (no groups at all: broken)."""
    checks: list[RuleCheck] = []
    labels = problem.organisation
    if labels is None:
        return checks
    for label, own in problem.own_groups.items():
        for g in own:
            others = sum(1 for i, h in enumerate(assignment) if h == g and labels[i] != label)
            checks.append(
                RuleCheck(
                    f"group {g} of {label}'s own",
                    not others,
                    f"{others} from elsewhere" if others else f"only {label}",
                    g,
                    kind=RuleKind.OWN_GROUPS,
                )
            )
        away = sorted({h for i, h in enumerate(assignment) if labels[i] == label and h not in own})
        where = f"in groups {away}" if own else "no groups of its own"
        checks.append(
            RuleCheck(
                f"every item of {label} in its own groups",
                not away and bool(own),
                where if away or not own else f"all in groups {list(own)}",
                away[0] if away else None,
                kind=RuleKind.OWN_GROUPS,
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
        free = m - len(problem.owner())
        for label, c in counts.items():
            if label not in problem.own_groups and c > k * free:
                reasons.append(f"{c} items from {label}, more than {k} in each of {free} groups")
    if problem.own_groups:
        reasons += _own_group_impossibilities(problem)
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


def _own_group_impossibilities(problem: Problem) -> list[str]:
    """Parts whose items do not fit their groups' sizes, parts of one group whose items share
    no slot, items locked outside their part, and must-link pairs across parts."""
    reasons = []
    parts = problem.parts()
    part_of = {i: k for k, part in enumerate(parts) for i in part.items}
    for part in parts:
        who = (
            f"{len(part.items)} items from {part.label}"
            if part.label is not None
            else (f"{len(part.items)} items to mix")
        )
        low = sum(problem.bounds[g][0] for g in part.groups)
        high = sum(problem.bounds[g][1] for g in part.groups)
        if not part.groups:
            reasons.append(f"{who} have no groups of their own")
        elif not low <= len(part.items) <= high:
            reasons.append(f"{who} cannot fill groups {part.groups}, which hold {low} to {high}")
        if (
            problem.availability is not None
            and len(part.groups) == 1
            and part.items
            and not frozenset.intersection(*(problem.availability[i] for i in part.items))
        ):
            reasons.append(f"{who} share no slot for their one group, group {part.groups[0]}")
        inside = set(part.items)
        pairs = [(i, j) for i, j in problem.cannot_link if i in inside and j in inside]
        clique = _large_clique(problem.n, pairs)
        if part.groups and len(clique) > len(part.groups):
            reasons.append(
                f"items {sorted(clique)} must all be kept apart from each other, "
                f"but {who} have only {len(part.groups)} group{'s' * (len(part.groups) != 1)}"
            )
    for item, g in sorted(problem.locked.items()):
        if 0 <= g < problem.m and g not in parts[part_of[item]].groups:
            label = parts[part_of[item]].label
            whose = f"{label}'s own groups" if label is not None else "the groups to mix"
            reasons.append(f"item {item} is locked in group {g}, which is not one of {whose}")
    for i, j in problem.must_link:
        if part_of[i] != part_of[j]:
            reasons.append(f"items {i} and {j} must be together but go in different groups")
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
