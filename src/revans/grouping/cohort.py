"""Forming sets from a cohort of people: the people of a cohort file (read by cohort_file.py)
become a grouping problem, and its solution becomes named sets with every rule reported in
terms of people, each with its kind.

A column of the file beyond the standard ones is kept, and can be given a weight to count as a
further attribute (``weights={"gender": 1}``).

Diversity between two people is a weighted sum over attributes: 1 × weight for a different
organisation, sector, location or weighted extra column (nothing when either value is empty),
and the difference of role levels divided by the span of levels in the cohort × its weight.
DEFAULT_WEIGHTS puts organisation highest. A set's diversity is the sum over its pairs.

The hard rules: each set's size is in the range (an in-company set's from the in-company
threshold when that is smaller: five people of one organisation form their own set; see
``company_size``); a manager and their report are never in the
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
    RuleKind.OWN_GROUPS: "in-company sets",
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

    def number_of_sets(self, size: tuple[int, int], in_company: int | None = None) -> int:
        """The number of sets whose mean size is closest to the middle of ``size`` (the
        smaller count on a tie), among the counts that can hold everyone within the range.

        With ``in_company``, the sets of each organisation of at least that many people (see
        ``own_organisations``, counted by ``company_sets_for``) plus the sets of everyone else,
        counted so (a part that cannot be split counts one set: ``form`` says why it cannot)."""
        low, high = size
        if in_company is None:
            count = sets_for(self.n, size)
            if count is None:
                raise CohortError(
                    [f"{self.n} people cannot be split into sets of {low}–{high}"], self.source
                )
            return count
        own = self.own_organisations(in_company)
        rest = self.n - sum(len(people) for people in own.values())
        company = sum(
            company_sets_for(len(people), size, in_company) or 1 for people in own.values()
        )
        return company + ((sets_for(rest, size) or 1) if rest else 0)

    def own_organisations(self, threshold: int) -> dict[str, list[int]]:
        """The organisations with at least ``threshold`` people (by their name casefolded), each
        with its people, in the order they first appear: those that form in-company sets."""
        people: dict[str, list[int]] = {}
        for i, p in enumerate(self.people):
            people.setdefault(p.organisation.casefold(), []).append(i)
        return {key: found for key, found in people.items() if len(found) >= threshold}

    def form(
        self,
        size: tuple[int, int],
        sets: int | None = None,
        weights: Mapping[str, float] | None = None,
        max_per_organisation: int | None = None,
        even: bool = True,
        set_names: Sequence[str] | None = None,
        check: bool = True,
        in_company: int | None = None,
        company_sets: Mapping[str, str] | None = None,
    ) -> "Formation":
        """The grouping problem for this cohort. Raises CohortError, with a sentence per rule,
        when the rules plainly cannot all be held (too many people for the sets, an
        organisation too large for its cap, keep-apart rules that need more sets, …).

        ``even``: sets as even as the cohort allows (400 people in 57 sets: sizes 7 and 8).
        Diversity is a sum over pairs, so without it the search favours the ends of the range
        (6 and 8 hold 43 pairs, two sets of 7 hold 42).

        ``set_names`` names the sets (and so their number); the ``set`` column's labels must
        be among them. ``check=False`` skips the search for rules that cannot all be held (to
        report on sets made by hand).

        ``in_company``: every organisation with at least this many people forms its own sets
        (in-company sets, each holding only its people, sizes within ``company_size``: from the
        threshold when it is below the smallest set), and everyone else is mixed as usual; None mixes everyone. Which sets are in-company is chosen here
        (the sets where its people are locked first), or given by ``company_sets`` (set name:
        organisation), to check sets formed before."""
        low, high = size
        if not 1 <= low <= high:
            raise CohortError([f"the size range {low}–{high} is not a range"], self.source)
        if set_names is not None:
            sets = len(set_names)
        m = sets if sets is not None else self.number_of_sets(size, in_company)
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
        own_groups: dict[str, list[int]] = {}
        if in_company is not None:
            if in_company < 2:
                errors.append(f"in-company sets from {in_company} people: at least 2")
            elif company_sets is not None:
                own_groups = self._given_company_sets(in_company, set_names, company_sets)
            else:
                own_groups = self._plan_company_sets(in_company, (low, high), set_names, locked)
                errors += self._company_errors(in_company, (low, high), m, own_groups)
        owned = {g for groups in own_groups.values() for g in groups}
        mixed = [
            i for i, p in enumerate(self.people) if p.organisation.casefold() not in own_groups
        ]
        mixed_sets = m - len(owned)
        biggest = max(
            Counter(self.people[i].organisation.casefold() for i in mixed).values(), default=0
        )
        k = max_per_organisation
        if k is None:
            k = max(2, math.ceil(biggest / max(1, mixed_sets)))
        elif k < 1:
            errors.append(f"at most {k} per organisation: the cap must be at least 1")
        slots = [p.availability for p in self.people]
        any_slots = frozenset().union(*slots)
        availability = [s or any_slots for s in slots] if any_slots else None
        if errors:
            raise CohortError(errors, self.source)
        bounds = [_even(len(mixed), mixed_sets, low, high) if even else (low, high)] * m
        company = company_size((low, high), in_company) if in_company is not None else None
        for key, groups in own_groups.items():
            assert company is not None  # in-company sets only with a threshold
            count = sum(p.organisation.casefold() == key for p in self.people)
            for g in groups:
                bounds[g] = _even(count, len(groups), *company) if even else company
        problem = Problem(
            self.diversity(weights),
            bounds=bounds,
            cannot_link=[*managers, *apart],
            organisation=[p.organisation.casefold() for p in self.people],
            max_per_organisation=k,
            availability=availability,
            locked=locked,
            own_groups={key: groups for key, groups in own_groups.items()},
            name=self.source,
        )
        formation = Formation(
            self, problem, set_names, (low, high), managers, apart, company or (low, high)
        )
        if not check:
            return formation
        reasons = [formation.in_people_terms(r) for r in impossibilities(problem)]
        if not reasons and not own_groups:
            reasons = _uncolourable(problem, self.people)
        elif not reasons:  # each part on its own: its people in its sets
            for part in problem.parts():
                reasons += _uncolourable(problem.part(part), [self.people[i] for i in part.items])
        if reasons:
            raise CohortError(reasons, self.source)
        return formation

    def in_company_problems(
        self, threshold: int, size: tuple[int, int], sets: int | None = None
    ) -> list[str]:
        """Why in-company sets from ``threshold`` people of one organisation cannot be formed
        at ``size`` (in ``sets`` sets, or as many as ``number_of_sets`` says): empty when they
        can, as far as sizes and numbers go (pairs and locks are checked by ``form``)."""
        m = sets if sets is not None else self.number_of_sets(size, threshold)
        names = [str(k) for k in range(1, m + 1)]
        own_groups = self._plan_company_sets(threshold, size, names, {})
        return self._company_errors(threshold, size, m, own_groups)

    def organisation_name(self, key: str) -> str:
        """An organisation as its first person spells it (``key``: the name casefolded)."""
        return next((p.organisation for p in self.people if p.organisation.casefold() == key), key)

    def _given_company_sets(
        self, threshold: int, set_names: Sequence[str], company_sets: Mapping[str, str]
    ) -> dict[str, list[int]]:
        """The in-company sets as given (set name: organisation), for the organisations that
        have ``threshold`` people; one given none has none (its rule is then broken)."""
        own = self.own_organisations(threshold)
        groups: dict[str, list[int]] = {key: [] for key in own}
        for g, name in enumerate(set_names):
            key = company_sets.get(name, "").casefold()
            if key in groups:
                groups[key].append(g)
        return groups

    def _plan_company_sets(
        self,
        threshold: int,
        size: tuple[int, int],
        set_names: Sequence[str],
        locked: Mapping[int, int],
    ) -> dict[str, list[int]]:
        """The sets each in-company organisation gets (as many as ``company_sets_for`` its
        people; one when they cannot be split): first the sets where its people are locked, then sets where
        nobody is locked, then any."""
        lockers: dict[int, set[str]] = {}
        for i, g in locked.items():
            lockers.setdefault(g, set()).add(self.people[i].organisation.casefold())
        free = list(range(len(set_names)))
        groups: dict[str, list[int]] = {}
        for key, people in self.own_organisations(threshold).items():
            count = company_sets_for(len(people), size, threshold) or 1

            def rank(g: int, key: str = key) -> tuple[int, int]:
                held = lockers.get(g)
                return (0 if held and key in held else 1 if not held else 2, g)

            groups[key] = sorted(sorted(free, key=rank)[:count])
            free = [g for g in free if g not in groups[key]]
        return groups

    def _company_errors(
        self, threshold: int, size: tuple[int, int], m: int, own_groups: Mapping[str, list[int]]
    ) -> list[str]:
        """Why the in-company sets cannot be formed: an organisation whose people cannot be
        split into in-company sets (``company_size``), too few sets, or the others too few or
        too many for their mixed sets (of the range)."""
        low, high = size
        company_low, _ = company_size(size, threshold)
        errors = []
        own = self.own_organisations(threshold)
        needed = {
            key: company_sets_for(len(people), size, threshold) for key, people in own.items()
        }
        failing = [key for key, count in needed.items() if count is None]
        if failing:
            counts = sorted(len(people) for people in own.values())
            largest, fewest = self._company_remedies(threshold, size, counts)
            for key in failing:
                errors.append(
                    f"{len(own[key])} people come from {self.organisation_name(key)}: they "
                    f"cannot be split into in-company sets of {company_low}–{high}. Make the "
                    f"largest set {largest}, or the in-company threshold {fewest} (smaller "
                    "organisations mixed), or always mix organisations"
                )
        if errors:
            return errors
        if any(len(own_groups[key]) < (count or 1) for key, count in needed.items()):
            return [
                f"{m} sets are too few: the in-company sets alone need "
                f"{sum(count or 1 for count in needed.values())}"
            ]
        rest = self.n - sum(len(people) for people in own.values())
        mixed_sets = m - sum(len(groups) for groups in own_groups.values())
        if rest and mixed_sets < 1:
            errors.append(
                f"{m} sets are too few: the in-company sets take them all, and {rest} "
                "other people need a set"
            )
        elif not low * mixed_sets <= rest <= high * mixed_sets:
            who = f"the {rest} people from smaller organisations" if rest else "nobody"
            errors.append(
                f"{mixed_sets} mixed set{'s' * (mixed_sets != 1)} of {low}–{high} cannot hold "
                f"{who} (in-company sets from {threshold} people of one organisation). Change "
                "the set sizes or the threshold, or always mix organisations"
            )
        return errors

    @staticmethod
    def _company_remedies(
        threshold: int, size: tuple[int, int], counts: Sequence[int]
    ) -> tuple[int, int]:
        """For organisations of ``counts`` people, some of which cannot be split into in-company
        sets: the smallest largest set that splits them all, and the smallest threshold above
        those that cannot be split that leaves only organisations that can (above the largest
        organisation, when no other does: everyone mixed)."""
        company_low, high = company_size(size, threshold)
        largest = next(
            h
            for h in range(high + 1, max(counts) + 1)
            if all(sets_for(c, (company_low, h)) is not None for c in counts)
        )
        above = max(c for c in counts if company_sets_for(c, size, threshold) is None) + 1
        fewest = next(
            t
            for t in range(above, max(counts) + 2)
            if all(company_sets_for(c, size, t) is not None for c in counts if c >= t)
        )
        return largest, fewest


@dataclass
class Formation:
    """A cohort as a grouping problem: item i is person i, group g is set ``set_names[g]``.
    ``size`` is the range of a mixed set, ``company`` that of an in-company set."""

    cohort: Roster
    problem: Problem
    set_names: list[str]
    size: tuple[int, int]
    manager_pairs: list[tuple[int, int]]
    apart_pairs: list[tuple[int, int]]
    company: tuple[int, int] | None = None

    def size_of(self, g: int) -> tuple[int, int]:
        """The sizes set g may have: an in-company set's range or a mixed set's."""
        if self.company is not None and g in self.problem.owner():
            return self.company
        return self.size

    def company_sets(self) -> dict[str, str]:
        """The in-company sets: set name to its organisation (as its people spell it)."""
        return {
            self.set_names[g]: self.cohort.organisation_name(str(key))
            for key, groups in self.problem.own_groups.items()
            for g in groups
        }

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
        # An in-company organisation's label (its name casefolded) held aside, as its people
        # spell it, so that neither its case nor a word such as "group" in it is changed.
        labels = [str(key) for key in self.problem.own_groups]
        for k, label in enumerate(labels):
            text = re.sub(rf" from {re.escape(label)}(?=[\s:,.]|$)", f" from \x00{k}\x00", text)
        text = re.sub(r"\bgroup (\d+)", group, text)
        text = re.sub(r"\bgroups \[([\d, ]+)\]", lambda m: "sets " + _name_list(self, m), text)
        text = re.sub(r"\b(\d+) items\b", r"\1 people", text)
        text = text.replace("groups", "sets").replace("group", "set")
        for k, label in enumerate(labels):
            text = text.replace(f"\x00{k}\x00", self.cohort.organisation_name(label))
        return text


def sets_for(n: int, size: tuple[int, int], middle: float | None = None) -> int | None:
    """How many sets of ``size`` hold ``n`` people with a mean size closest to ``middle``
    (by default the middle of the range; the smaller count on a tie); None when no count holds
    them (and none for nobody)."""
    low, high = size
    fitting = range(max(1, math.ceil(n / high)), n // low + 1)
    if not fitting:
        return None
    if middle is None:
        middle = (low + high) / 2
    return min(fitting, key=lambda m: (abs(n / m - middle), m))


def company_size(size: tuple[int, int], threshold: int) -> tuple[int, int]:
    """The sizes of an in-company set: from the threshold when it is below the smallest set
    (five or more people of one organisation form their own set, so a set of five is one), up
    to the largest set."""
    low, high = size
    return (min(low, threshold), high)


def company_sets_for(n: int, size: tuple[int, int], threshold: int) -> int | None:
    """How many in-company sets hold an organisation's ``n`` people: the counts whose sizes
    fit ``company_size``, the one whose mean size is closest to the middle of ``size`` (the
    sets' own range, so an organisation that fits it is split as a mixed part would be: 16
    people make two sets of 8, not three of 5 or 6; the smaller count on a tie); None when
    no count holds them."""
    low, high = size
    return sets_for(n, company_size(size, threshold), (low + high) / 2)


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
        sets = list(self.sets().values())
        for g, members in enumerate(sets):
            low, high = f.size_of(g)
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
        owner = problem.owner()
        for g, members in enumerate(sets):
            if g in owner:
                continue  # an in-company set: its own rule below
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
        return checks + self._company_rules(sets)

    def _company_rules(self, sets: list[list[Person]]) -> list[RuleCheck]:
        """Each in-company set holds only its organisation's people, and each of them is in
        one of its organisation's sets."""
        f = self.formation
        checks = []
        for key, groups in f.problem.own_groups.items():
            organisation = f.cohort.organisation_name(str(key))
            for g in groups:
                others = [p.email for p in sets[g] if p.organisation.casefold() != key]
                checks.append(
                    RuleCheck(
                        f"set {f.set_names[g]} is in-company for {organisation}",
                        not others,
                        f"also {', '.join(others)}" if others else f"only {organisation}",
                        g,
                        kind=RuleKind.OWN_GROUPS,
                    )
                )
            away = [
                (g, p.email)
                for g, members in enumerate(sets)
                if g not in groups
                for p in members
                if p.organisation.casefold() == key
            ]
            if not groups:
                detail = "it has no in-company set"
            elif away:
                detail = ", ".join(f"{email} in set {f.set_names[g]}" for g, email in away)
            else:
                detail = f"all in {', '.join(f'set {f.set_names[g]}' for g in groups)}"
            checks.append(
                RuleCheck(
                    f"everyone from {organisation} in its in-company sets",
                    bool(groups) and not away,
                    detail,
                    away[0][0] if away else None,
                    kind=RuleKind.OWN_GROUPS,
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
            + f" (allowed {f.size[0]}–{f.size[1]}"
            + (
                f", in-company {f.company[0]}–{f.company[1]})"
                if f.problem.own_groups and f.company and f.company != f.size
                else ")"
            ),
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
        company = f.company_sets()
        for g, (set_name, members) in enumerate(sets.items()):
            orgs = len({p.organisation.casefold() for p in members})
            mix = (
                f"in-company ({company[set_name]})"
                if set_name in company
                else f"from {orgs} organisations"
            )
            lines.append(
                f"  set {set_name}: {len(members)} people {mix}, "
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
    if m < 1:
        return (low, high)
    even_low, even_high = max(low, n // m), min(high, -(-n // m))
    return (even_low, even_high) if even_low <= even_high else (low, high)
