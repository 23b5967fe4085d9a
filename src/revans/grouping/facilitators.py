"""Giving each set a facilitator: never one from the organisation of someone in the set (unless
allowed), no facilitator with more sets than they can take, and the sets shared out evenly;
optionally the ``preferred`` facilitators (a council's own, internal ones) first.

It is a bipartite matching (sets on one side, facilitators' places on the other), grown one
place per facilitator at a time so that nobody gets a second set while another facilitator
who could take it has none. With a preference, the preferred facilitators are matched first and
the others take the sets left, unless that would leave a set without anyone that a matching of
everyone together covers: covering every set comes before the preference.

Imports nothing from Django.
"""

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
"""What names a facilitator (a user id in the web app): the answer gives sets these."""


@dataclass(frozen=True)
class Facilitator(Generic[K]):
    """A facilitator who can take up to ``capacity`` sets; ``organisation`` None when unknown."""

    key: K
    organisation: Hashable | None
    capacity: int = 1


def can_facilitate(
    facilitator: Facilitator[K],
    set_organisations: AbstractSet[Hashable],
    same_organisation: bool = False,
) -> bool:
    """Whether the facilitator may take a set whose members come from ``set_organisations``."""
    return same_organisation or facilitator.organisation not in set_organisations


def assign_facilitators(
    set_organisations: Sequence[AbstractSet[Hashable]],
    facilitators: Sequence[Facilitator[K]],
    fixed: Mapping[int, K] | None = None,
    same_organisation: bool = False,
    preferred: AbstractSet[K] = frozenset(),
) -> dict[int, K]:
    """A facilitator key for as many sets as possible: set g → key.

    ``fixed`` keeps sets that already have a facilitator (they count against that facilitator's
    capacity). Among the assignments that cover most sets, it takes one whose busiest
    facilitator has fewest sets; with ``preferred`` keys, one that gives as many sets as it can
    to those facilitators first. Sets left out of the answer could not be given anyone."""
    fixed = dict(fixed or {})
    taken = Counter(fixed.values())
    allowed = {
        g: [f for f in facilitators if can_facilitate(f, orgs, same_organisation)]
        for g, orgs in enumerate(set_organisations)
        if g not in fixed
    }
    most = max((f.capacity for f in facilitators), default=0)
    best = _balanced(allowed, taken, most)
    if preferred:
        first = _balanced(
            {g: [f for f in fs if f.key in preferred] for g, fs in allowed.items()}, taken, most
        )
        rest = _balanced(
            {
                g: [f for f in fs if f.key not in preferred]
                for g, fs in allowed.items()
                if g not in first
            },
            taken + Counter(first.values()),
            most,
        )
        if len(first) + len(rest) >= len(best):
            best = {**first, **rest}
    return {**fixed, **best}


def _balanced(
    allowed: Mapping[int, Sequence[Facilitator[K]]], taken: Counter[K], most: int
) -> dict[int, K]:
    """A maximum matching in which the busiest facilitator has as few sets as possible."""
    best = _match(allowed, taken, most)
    for limit in range(1, most):
        balanced = _match(allowed, taken, limit)
        if len(balanced) == len(best):
            return balanced
    return best


def _match(
    allowed: Mapping[int, Sequence[Facilitator[K]]], taken: Counter[K], limit: int
) -> dict[int, K]:
    """A maximum matching of sets to facilitators, each with at most ``limit`` sets (and at
    most their capacity), by augmenting paths."""
    holds: dict[K, list[int]] = {}
    result: dict[int, K] = {}

    def place(g: int, seen: set[K]) -> bool:
        for f in allowed[g]:
            if f.key in seen:
                continue
            seen.add(f.key)
            sets = holds.setdefault(f.key, [])
            if len(sets) + taken[f.key] < min(limit, f.capacity):
                sets.append(g)
                result[g] = f.key
                return True
            for other in list(sets):
                if place(other, seen):  # ``other`` found another facilitator
                    sets.remove(other)
                    sets.append(g)
                    result[g] = f.key
                    return True
        return False

    for g in allowed:
        place(g, set())
    return result
