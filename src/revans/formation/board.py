"""The proposal on the review screen: each set scored and checked against every rule, and people
moved or locked by hand."""

from dataclasses import dataclass

from revans.grouping import RuleCheck
from revans.grouping.cohort import FormedSets, mean_all_pairs, rule_groups
from revans.grouping.problem import make_solution

from .engine import formation_for, participants_of
from .models import Cohort, Participant, ProposedSet


@dataclass
class BoardSet:
    """One proposed set as the review screen shows it."""

    proposed: ProposedSet
    members: list[Participant]
    score: float
    broken: list[RuleCheck]
    slots: list[str]
    # Filled by review.read for the page:
    mark: int = 0  # diversity on the review's 0–100 scale
    find_text: str = ""  # what a search looks in
    hidden: bool = False  # it does not match the search
    above_held: bool = False  # it breaks a rule yet scores above the sets that hold them all
    company: str = ""  # the organisation whose in-company set it is ("": a mixed set)

    @property
    def organisation_ids(self) -> set[int]:
        return {p.organisation_id for p in self.members}

    @property
    def organisations(self) -> int:
        return len(self.organisation_ids)

    @property
    def sectors(self) -> int:
        return len({p.sector.casefold() for p in self.members if p.sector})

    @property
    def locations(self) -> int:
        return len({p.location.casefold() for p in self.members if p.location})

    @property
    def levels(self) -> str:
        known = sorted({p.role_level for p in self.members if p.role_level is not None})
        if not known:
            return ""
        low, high = known[0], known[-1]
        return f"{low:g}" if low == high else f"{low:g}–{high:g}"


@dataclass
class Board:
    """The proposal: its sets, the rules (held or broken) and the diversity figures."""

    sets: list[BoardSet]
    rules: list[RuleCheck]
    objective: float
    per_pair: float
    cohort_per_pair: float
    best_pair: float = 0.0  # the two most different people of the cohort: the review's 100

    @property
    def broken(self) -> list[RuleCheck]:
        return [c for c in self.rules if not c.held]

    @property
    def company_sets(self) -> list[BoardSet]:
        """The in-company sets (when the cohort forms them)."""
        return [s for s in self.sets if s.company]

    def company_names(self) -> list[tuple[str, list[str]]]:
        """Each organisation with in-company sets, and the names of its sets."""
        names: dict[str, list[str]] = {}
        for s in self.company_sets:
            names.setdefault(s.company, []).append(str(s.proposed))
        return list(names.items())

    @property
    def mixed_count(self) -> int:
        return len(self.sets) - len(self.company_sets)

    def rule_groups(self) -> list[tuple[str, int, list[RuleCheck]]]:
        """(kind, rules of that kind, broken ones), in the order of the report."""
        return [
            (kind, len(checks), [c for c in checks if not c.held])
            for kind, checks in rule_groups(self.rules)
        ]


def board_for(cohort: Cohort) -> Board | None:
    """The current proposal scored and checked, or None before the first run."""
    participants = participants_of(cohort)
    # Facilitators and their organisations are checked on every set (facilitator_problems).
    proposed = list(
        cohort.proposed_sets.select_related("facilitator__organisation", "organisation")
    )
    set_ids = [p.proposed_set_id for p in participants if p.proposed_set_id is not None]
    if not proposed or len(set_ids) < len(participants):
        return None
    names = [s.name for s in proposed]
    # The in-company sets are those the run made so; a hand's move is checked against them.
    given = {s.name: s.organisation.name for s in proposed if s.organisation is not None}
    formation = formation_for(cohort, participants, names, check=False, company_sets=given)
    company = formation.company_sets()
    index = {s.pk: g for g, s in enumerate(proposed)}
    assignment = [index[set_id] for set_id in set_ids]
    formed = FormedSets(formation, make_solution(formation.problem, assignment))
    rules = formed.rules()
    members: dict[int, list[Participant]] = {s.pk: [] for s in proposed}
    for p, set_id in zip(participants, set_ids, strict=True):
        members[set_id].append(p)
        level = f"level {p.role_level:g}" if p.role_level is not None else ""
        p.summary = " · ".join(filter(None, [p.organisation.name, p.sector, level, p.location]))
    by_set: dict[int, list[RuleCheck]] = {s.pk: [] for s in proposed}
    for check in rules:
        if not check.held and check.group is not None:
            by_set[proposed[check.group].pk].append(check)
    availability = formation.problem.availability
    board_sets = []
    for g, s in enumerate(proposed):
        slots: list[str] = []
        if availability is not None:
            idx = [i for i, a in enumerate(assignment) if a == g]
            if idx:
                shared = frozenset.intersection(*(availability[i] for i in idx))
                slots = sorted(map(str, shared))  # the cohort's slots are strings
        board_sets.append(
            BoardSet(
                s,
                members[s.pk],
                formed.solution.group_scores[g],
                by_set[s.pk],
                slots,
                company=company.get(s.name, ""),
            )
        )
    return Board(
        board_sets,
        rules,
        formed.solution.objective,
        formed.mean_pair_diversity,
        mean_all_pairs(formation.problem.diversity),
        float(formation.problem.diversity.max(initial=0.0)),
    )


def move_people(cohort: Cohort, participant_ids: list[int], target: ProposedSet) -> int:
    """Move these people into ``target`` (they stay locked if they were)."""
    return cohort.participants.filter(pk__in=participant_ids).update(proposed_set=target)


def set_locked(cohort: Cohort, participant_ids: list[int], locked: bool) -> int:
    return cohort.participants.filter(pk__in=participant_ids).update(locked=locked)
