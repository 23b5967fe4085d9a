"""Forming sets from a cohort of people: the people of a cohort file (read by cohort_file.py)
become a grouping problem, and its solution becomes named sets with every rule reported in
terms of people, each with its kind.

A column of the file beyond the standard ones is kept, and can be given a weight to count as a
further attribute (``weights={"gender": 1}``).

Diversity between two people is a weighted sum over attributes: 1 × weight for a different
organisation, sector, location or weighted extra column (nothing when either value is empty),
and the difference of role levels divided by the span of levels in the cohort × its weight.
DEFAULT_WEIGHTS puts organisation highest. A set's diversity is the sum over its pairs.

The hard rules: each set's size is in the range; a manager and their report are never in the
same set; keep-apart pairs are never in the same set; at most k people from one organisation
in a set (by default 2, or more when the largest organisation needs more to fit in the sets);
the members of each set share an availability slot; locked people are in their set.

The number of sets, when not given, is the one whose mean set size is closest to the middle
of the size range (the smaller count on a tie): 400 people in sets of 6–8 make 57 sets of 7,
leaving every set room to grow or shrink by one as the search moves people.
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from . import Infeasible, Problem, RuleCheck, RuleKind, Solution, impossibilities, solve
from .cohort_file import (
    NAMED_LEVELS,
    CohortError,
    Person,
    check_people,
    column_key,
    people_from_rows,
    read_people,
    read_people_data,
    write_rows,
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "organisation": 3.0,
    "sector": 2.0,
    "role_level": 1.5,
    "location": 1.0,
}
"""Weights of the diversity between two people: a different organisation counts most."""

RULE_KINDS: dict[RuleKind, str] = {
    RuleKind.SIZE: "set sizes",
    RuleKind.MANAGER: "managers never with their reports",
    RuleKind.APART: "keep-apart pairs apart",
    RuleKind.ORGANISATION: "organisation cap",
    RuleKind.AVAILABILITY: "a shared slot in every set",
    RuleKind.LOCK: "locked people in their sets",
}
"""How each kind of rule is named when the rules are reported together, in report order."""


@dataclass
class Roster:
    """The people of a cohort, checked: unique e-mails, known managers and keep-apart people.
    (The engine's name for them; ``Cohort`` is the web app's model of a cohort.)"""

    people: list[Person]
    source: str = "cohort"

    def __post_init__(self) -> None:
        errors = check_people(self.people)
        if errors:
            raise CohortError(errors, self.source)

    @property
    def n(self) -> int:
        return len(self.people)

    def diversity(self, weights: Mapping[str, float] | None = None) -> npt.NDArray[np.float64]:
        """The weighted distance between every two people (symmetric, zero diagonal).

        ``weights`` replaces DEFAULT_WEIGHTS for the attributes it names; an extra column
        counts only when it is given a weight. Raises CohortError for an unknown attribute
        or a negative weight."""
        weights = resolve_weights(weights, self)
        n = self.n
        d = np.zeros((n, n))
        for name, w in weights.items():
            if w == 0:
                continue
            if name == "role_level":
                levels = np.array(
                    [np.nan if p.role_level is None else p.role_level for p in self.people]
                )
                known = ~np.isnan(levels)
                if known.sum() < 2:
                    continue
                span = np.nanmax(levels) - np.nanmin(levels)
                if span == 0:
                    continue
                gap = np.abs(levels[:, None] - levels[None, :]) / span
                d += w * np.where(known[:, None] & known[None, :], gap, 0.0)
            else:
                values = [p.attribute(name).casefold() for p in self.people]
                codes = {v: k for k, v in enumerate(dict.fromkeys(values))}
                code = np.array([codes[v] for v in values])
                known = np.array([v != "" for v in values])
                differ = (code[:, None] != code[None, :]) & known[:, None] & known[None, :]
                d += w * differ
        np.fill_diagonal(d, 0.0)
        return d

    def number_of_sets(self, size: tuple[int, int]) -> int:
        """The number of sets whose mean size is closest to the middle of ``size`` (the
        smaller count on a tie), among the counts that can hold everyone within the range."""
        low, high = size
        fitting = range(math.ceil(self.n / high), self.n // low + 1)
        if not fitting:
            raise CohortError(
                [f"{self.n} people cannot be split into sets of {low}–{high}"], self.source
            )
        middle = (low + high) / 2
        return min(fitting, key=lambda m: (abs(self.n / m - middle), m))

    def form(
        self,
        size: tuple[int, int],
        sets: int | None = None,
        weights: Mapping[str, float] | None = None,
        max_per_organisation: int | None = None,
        even: bool = True,
        set_names: Sequence[str] | None = None,
        check: bool = True,
    ) -> "Formation":
        """The grouping problem for this cohort. Raises CohortError, with a sentence per rule,
        when the rules plainly cannot all be held (too many people for the sets, an
        organisation too large for its cap, keep-apart rules that need more sets, …).

        ``even``: sets as even as the cohort allows (400 people in 57 sets: sizes 7 and 8).
        Diversity is a sum over pairs, so without it the search favours the ends of the range
        (6 and 8 hold 43 pairs, two sets of 7 hold 42).

        ``set_names`` names the sets (and so their number); the ``set`` column's labels must
        be among them. ``check=False`` skips the search for rules that cannot all be held (to
        report on sets made by hand)."""
        low, high = size
        if not 1 <= low <= high:
            raise CohortError([f"the size range {low}–{high} is not a range"], self.source)
        if set_names is not None:
            sets = len(set_names)
        m = sets if sets is not None else self.number_of_sets(size)
        if m < 1:
            raise CohortError([f"{m} sets: there must be at least one"], self.source)
        index = {p.email: i for i, p in enumerate(self.people)}
        labels = list(dict.fromkeys(p.locked for p in self.people if p.locked))
        errors = []
        if len(labels) > m:
            errors.append(
                f"{len(labels)} different sets are named in the set column "
                f"({', '.join(labels)}), but there {'is only 1 set' if m == 1 else f'are only {m} sets'}"
            )
        if set_names is None:
            numbers = (str(k) for k in range(1, 10**6) if str(k) not in labels)
            set_names = labels[:m] + [next(numbers) for _ in range(m - len(labels[:m]))]
        else:
            set_names = list(set_names)
            unknown = [label for label in labels if label not in set_names]
            if unknown and len(labels) <= m:
                errors.append(
                    f"the set column names sets that are not formed: {', '.join(unknown)}"
                )
        locked = {
            i: set_names.index(p.locked)
            for i, p in enumerate(self.people)
            if p.locked and p.locked in set_names
        }
        managers = sorted(
            {_pair(i, index[p.manager_email]) for i, p in enumerate(self.people) if p.manager_email}
        )
        apart = sorted(
            {
                _pair(i, index[e])
                for i, p in enumerate(self.people)
                for e in p.keep_apart
                if e != p.email
            }
            - set(managers)
        )
        biggest = max(Counter(p.organisation.casefold() for p in self.people).values())
        k = max_per_organisation
        if k is None:
            k = max(2, math.ceil(biggest / m))
        elif k < 1:
            errors.append(f"at most {k} per organisation: the cap must be at least 1")
        slots = [p.availability for p in self.people]
        any_slots = frozenset().union(*slots)
        availability = [s or any_slots for s in slots] if any_slots else None
        if errors:
            raise CohortError(errors, self.source)
        problem = Problem(
            self.diversity(weights),
            bounds=[_even(self.n, m, low, high) if even else (low, high)] * m,
            cannot_link=[*managers, *apart],
            organisation=[p.organisation.casefold() for p in self.people],
            max_per_organisation=k,
            availability=availability,
            locked=locked,
            name=self.source,
        )
        formation = Formation(self, problem, set_names, (low, high), managers, apart)
        if not check:
            return formation
        reasons = [formation.in_people_terms(r) for r in impossibilities(problem)]
        if not reasons:
            reasons = _uncolourable(problem, self.people)
        if reasons:
            raise CohortError(reasons, self.source)
        return formation


@dataclass
class Formation:
    """A cohort as a grouping problem: item i is person i, group g is set ``set_names[g]``."""

    cohort: Roster
    problem: Problem
    set_names: list[str]
    size: tuple[int, int]
    manager_pairs: list[tuple[int, int]]
    apart_pairs: list[tuple[int, int]]

    def solve(
        self,
        seconds: float,
        seed: int = 0,
        progress: Callable[[float, float], bool | None] | None = None,
        *,
        method: str = "auto",
        max_iterations: int | None = None,
    ) -> "FormedSets":
        """The most diverse sets found within ``seconds`` (see ``revans.grouping.solve``).
        Raises CohortError when the search finds no assignment that holds every rule."""
        try:
            solution = solve(
                self.problem, seconds, seed, progress, method=method, max_iterations=max_iterations
            )
        except Infeasible as error:
            raise CohortError(
                [self.in_people_terms(r) for r in error.reasons], self.cohort.source
            ) from error
        return FormedSets(self, solution)

    def in_people_terms(self, reason: str) -> str:
        """An engine sentence about items and groups, about people and sets instead."""
        people = self.cohort.people

        def person(match: re.Match[str]) -> str:
            return people[int(match.group(0))].email

        def items(match: re.Match[str]) -> str:
            return re.sub(r"\d+", person, match.group(1)).strip("[]")

        def group(match: re.Match[str]) -> str:
            g = int(match.group(1))
            return f"set {self.set_names[g]}" if g < len(self.set_names) else f"set {g + 1}"

        text = re.sub(r"\bitems? (\[[\d, ]+\]|\d+(?: and \d+)?)", items, reason)
        text = re.sub(r"\bgroup (\d+)", group, text)
        text = re.sub(r"\bgroups \[([\d, ]+)\]", lambda m: "sets " + _name_list(self, m), text)
        text = re.sub(r"\b(\d+) items\b", r"\1 people", text)
        return text.replace("groups", "sets").replace("group", "set")


def _pair(i: int, j: int) -> tuple[int, int]:
    """A pair of items, the smaller first."""
    return (i, j) if i <= j else (j, i)


def _name_list(formation: Formation, match: re.Match[str]) -> str:
    return ", ".join(formation.set_names[int(g)] for g in match.group(1).split(","))


@dataclass
class FormedSets:
    """A solved formation: who is in which set, each set's diversity, and every rule."""

    formation: Formation
    solution: Solution

    @property
    def people(self) -> list[Person]:
        return self.formation.cohort.people

    def set_of(self, i: int) -> str:
        return self.formation.set_names[self.solution.assignment[i]]

    def sets(self) -> dict[str, list[Person]]:
        """The people of each set, by set name, in the order of the set names."""
        members: dict[str, list[Person]] = {name: [] for name in self.formation.set_names}
        for i, p in enumerate(self.people):
            members[self.set_of(i)].append(p)
        return members

    def rows(self) -> list[tuple[str, str, str]]:
        """(email, name, set) for each person, in the cohort's order."""
        return [(p.email, p.name, self.set_of(i)) for i, p in enumerate(self.people)]

    @property
    def mean_pair_diversity(self) -> float:
        """The mean diversity of two people in the same set."""
        pairs = sum(len(s) * (len(s) - 1) // 2 for s in self.sets().values())
        return self.solution.objective / pairs if pairs else 0.0

    def rules(self) -> list[RuleCheck]:
        """Every rule, in terms of people and sets, and whether it holds; each names the set
        it concerns (``group``), for a pair the set they share when they share one."""
        f, people, grp = self.formation, self.people, self.solution.assignment
        problem = f.problem
        name = f.set_names
        checks = []
        low, high = f.size
        sets = list(self.sets().values())
        for g, members in enumerate(sets):
            held = low <= len(members) <= high
            checks.append(
                RuleCheck(
                    f"size of set {name[g]}",
                    held,
                    f"{len(members)}, {low}–{high} allowed",
                    g,
                    kind=RuleKind.SIZE,
                )
            )
        pair_rules = (
            ("manager and report", RuleKind.MANAGER, f.manager_pairs),
            ("keep apart", RuleKind.APART, f.apart_pairs),
        )
        for words, kind, pairs in pair_rules:
            for i, j in pairs:
                held = grp[i] != grp[j]
                where = "in different sets" if held else f"both in set {name[grp[i]]}"
                checks.append(
                    RuleCheck(
                        f"{words}: {people[i].email}, {people[j].email}",
                        held,
                        where,
                        None if held else grp[i],
                        kind=kind,
                    )
                )
        k = problem.max_per_organisation
        assert k is not None  # Problem requires a cap with organisation labels
        for g, members in enumerate(sets):
            counts = Counter(p.organisation for p in members)
            over = {o: c for o, c in counts.items() if c > k}
            detail = ", ".join(f"{c} from {o}" for o, c in over.items()) or (
                f"at most {max(counts.values(), default=0)} from one organisation"
            )
            checks.append(
                RuleCheck(
                    f"at most {k} per organisation in set {name[g]}",
                    not over,
                    detail,
                    g,
                    kind=RuleKind.ORGANISATION,
                )
            )
        if problem.availability is not None:
            for g in range(problem.m):
                idx = [i for i in range(len(people)) if grp[i] == g]
                shared = (
                    frozenset.intersection(*(problem.availability[i] for i in idx))
                    if idx
                    else frozenset()
                )
                detail = ", ".join(sorted(map(str, shared))) or "no slot shared by every member"
                checks.append(
                    RuleCheck(
                        f"a shared slot in set {name[g]}",
                        bool(shared),
                        detail,
                        g,
                        kind=RuleKind.AVAILABILITY,
                    )
                )
        for i, g in sorted(problem.locked.items()):
            checks.append(
                RuleCheck(
                    f"{people[i].email} locked in set {name[g]}",
                    grp[i] == g,
                    f"in set {name[grp[i]]}",
                    g,
                    kind=RuleKind.LOCK,
                )
            )
        return checks

    @property
    def feasible(self) -> bool:
        return all(c.held for c in self.rules())

    def summary(self) -> str:
        """A few lines for a person: the sets, their sizes and diversity, and the rules."""
        f = self.formation
        sets = self.sets()
        sizes = Counter(len(s) for s in sets.values())
        lines = [
            f"{len(sets)} sets from {len(self.people)} people: "
            + ", ".join(f"{c} set{'s' * (c != 1)} of {s}" for s, c in sorted(sizes.items()))
            + f" (allowed {f.size[0]}–{f.size[1]})",
            f"diversity: {self.solution.objective:.1f} in all, "
            f"{self.solution.objective / len(sets):.1f} per set, "
            f"{self.mean_pair_diversity:.2f} per pair (all pairs in the cohort: "
            f"{mean_all_pairs(f.problem.diversity):.2f})",
        ]
        rules = self.rules()
        for kind, checks in rule_groups(rules):
            broken = [c for c in checks if not c.held]
            verdict = "BROKEN" if broken else "held"
            lines.append(f"  {verdict:6}  {kind}: {len(checks) - len(broken)} of {len(checks)}")
            lines.extend(f"          {c.rule}: {c.detail}" for c in broken)
        lines.append(
            "every rule held"
            if all(c.held for c in rules)
            else f"{sum(not c.held for c in rules)} rules broken"
        )
        for g, (set_name, members) in enumerate(sets.items()):
            orgs = len({p.organisation.casefold() for p in members})
            lines.append(
                f"  set {set_name}: {len(members)} people from {orgs} organisations, "
                f"diversity {self.solution.group_scores[g]:.1f}"
            )
        return "\n".join(lines)


def rule_groups(rules: Sequence[RuleCheck]) -> list[tuple[str, list[RuleCheck]]]:
    """The rules by kind, in the order they are reported, each kind named as in RULE_KINDS."""
    groups: dict[RuleKind, list[RuleCheck]] = {}
    for check in rules:
        groups.setdefault(check.kind, []).append(check)
    return [(RULE_KINDS.get(kind, str(kind)), checks) for kind, checks in groups.items()]


def mean_all_pairs(d: npt.NDArray[np.float64]) -> float:
    """The mean diversity of two different people of the cohort."""
    n = d.shape[0]
    return float(d.sum() / (n * (n - 1))) if n > 1 else 0.0


def resolve_weights(weights: Mapping[str, float] | None, cohort: Roster) -> dict[str, float]:
    """DEFAULT_WEIGHTS with ``weights`` applied; raises CohortError for an attribute the
    cohort does not have or a negative weight."""
    resolved = dict(DEFAULT_WEIGHTS)
    known = set(resolved) | {k for p in cohort.people for k in p.extra}
    errors = []
    for name, w in (weights or {}).items():
        key = column_key(name)
        if key not in known:
            errors.append(
                f"weight for {name!r}: no such attribute (known: {', '.join(sorted(known))})"
            )
        elif not w >= 0:
            errors.append(f"weight for {name!r} is {w}: weights cannot be negative")
        elif not math.isfinite(w):
            errors.append(f"weight for {name!r} is {w}: weights must be finite")
        else:
            resolved[key] = float(w)
    if errors:
        raise CohortError(errors, cohort.source)
    return resolved


def parse_weights(text: str) -> dict[str, float]:
    """``organisation=3,sector=2`` as a dict; raises CohortError on a malformed part."""
    weights, errors = {}, []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            errors.append(f"weight {part!r} is not name=number")
    if errors:
        raise CohortError(errors, "--weights")
    return weights


def read_cohort(
    path: str | Path, levels: Sequence[str] = NAMED_LEVELS, source: str | None = None
) -> Roster:
    """The people of a cohort file (``.csv`` or ``.xlsx``; see cohort_file.py). Raises
    CohortError listing every problem with its rows; nothing is half-read."""
    path = Path(path)
    return Roster(read_people(path, levels, source), source or path.name)


def read_cohort_data(
    data: bytes, name: str, levels: Sequence[str] = NAMED_LEVELS, source: str | None = None
) -> Roster:
    """The people of the bytes of a cohort file called ``name`` (an upload)."""
    return Roster(read_people_data(data, name, levels, source), source or name)


def cohort_from_rows(
    rows: Sequence[tuple[int, Sequence[str]]],
    levels: Sequence[str] = NAMED_LEVELS,
    source: str = "cohort",
) -> Roster:
    """The people of numbered rows (the first is the header), as a Roster."""
    return Roster(people_from_rows(rows, levels, source), source)


def write_sets(path: str | Path, formed: "FormedSets") -> None:
    """Write email,name,set for each person to ``path`` (.xlsx, or CSV otherwise)."""
    write_rows(path, [("email", "name", "set"), *formed.rows()])


def _uncolourable(problem: Problem, people: Sequence[Person]) -> list[str]:
    """Groups of people whose keep-apart rules (managers included) need more sets than there
    are, found by an exact colouring of each connected part of the keep-apart graph that
    is larger than the number of sets (given up after a budget of steps: the search then has
    the last word)."""
    m, n = problem.m, problem.n
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for i, j in problem.cannot_link:
        neighbours[i].add(j)
        neighbours[j].add(i)
    seen: set[int] = set()
    reasons = []
    for start in range(n):
        if start in seen or not neighbours[start]:
            continue
        part, todo = [], [start]
        seen.add(start)
        while todo:
            v = todo.pop()
            part.append(v)
            for w in neighbours[v] - seen:
                seen.add(w)
                todo.append(w)
        if len(part) > m and _colour(sorted(part), neighbours, m) is False:
            emails = ", ".join(people[i].email for i in sorted(part))
            reasons.append(
                f"the keep-apart rules (managers included) among {emails} "
                f"cannot all be held with only {m} set{'s' if m != 1 else ''}"
            )
    return reasons


def _colour(
    part: list[int], neighbours: list[set[int]], m: int, budget: int = 50_000
) -> bool | None:
    """Whether ``part`` can be coloured with m colours (None: undecided within the budget)."""
    colour: dict[int, int] = {}
    steps = 0

    def pick() -> int:
        # DSATUR: the uncoloured vertex with the most distinct colours around it.
        return max(
            (v for v in part if v not in colour),
            key=lambda v: (
                len({colour[w] for w in neighbours[v] if w in colour}),
                len(neighbours[v]),
                -v,
            ),
        )

    def place(left: int) -> bool | None:
        nonlocal steps
        if left == 0:
            return True
        steps += 1
        if steps > budget:
            return None
        v = pick()
        used = {colour[w] for w in neighbours[v] if w in colour}
        # A new colour is only tried once: the colours are interchangeable.
        fresh = max(colour.values(), default=-1) + 1
        for c in range(min(m, fresh + 1)):
            if c in used:
                continue
            colour[v] = c
            found = place(left - 1)
            del colour[v]
            if found is not False:
                return found
        return False

    return place(len(part))


def _even(n: int, m: int, low: int, high: int) -> tuple[int, int]:
    """The tightest sizes within [low, high] that share ``n`` people among ``m`` sets (the
    whole range when even sizes cannot hold them)."""
    even_low, even_high = max(low, n // m), min(high, -(-n // m))
    return (even_low, even_high) if even_low <= even_high else (low, high)
