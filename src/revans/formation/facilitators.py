"""Facilitators for the proposed sets: who may facilitate which set, and suggestions from the
cohort's pool."""

from revans.accounts.models import FacilitatorBasis, User
from revans.grouping.facilitators import Facilitator, assign_facilitators, can_facilitate

from .board import Board
from .models import Cohort


def facilitator_fits(cohort: Cohort, user: User, organisation_ids: set[int]) -> bool:
    """Whether ``user`` may facilitate a set of people from these organisations."""
    return can_facilitate(
        Facilitator(user.pk, user.organisation_id),
        organisation_ids,
        cohort.facilitator_same_organisation,
    )


def facilitator_problems(cohort: Cohort, board: Board) -> dict[int, str]:
    """Proposed set id → why its facilitator breaks the organisation rule."""
    problems = {}
    for board_set in board.sets:
        f = board_set.proposed.facilitator
        if f is None or facilitator_fits(cohort, f, board_set.organisation_ids):
            continue
        same = [p for p in board_set.members if p.organisation_id == f.organisation_id]
        problems[board_set.proposed.pk] = f"{f} is from {f.organisation}, as {same[0]} is" + (
            f" and {len(same) - 1} more" if len(same) > 1 else ""
        )
    return problems


def suggest_facilitators(cohort: Cohort, board: Board) -> int:
    """Give facilitators from the pool to the sets without one; returns how many were given."""
    pool = list(cohort.facilitators.all())
    facilitators = [Facilitator(u.pk, u.organisation_id, cohort.sets_per_facilitator) for u in pool]
    orgs = [s.organisation_ids for s in board.sets]
    fixed = {
        g: s.proposed.facilitator_id
        for g, s in enumerate(board.sets)
        if s.proposed.facilitator_id is not None
    }
    internal = {u.pk for u in pool if u.facilitator_basis == FacilitatorBasis.INTERNAL}
    result = assign_facilitators(
        orgs,
        facilitators,
        fixed,
        cohort.facilitator_same_organisation,
        preferred=internal if cohort.prefer_internal else frozenset(),
    )
    given = 0
    for g, key in result.items():
        if g not in fixed:
            proposed = board.sets[g].proposed
            proposed.facilitator_id = key
            proposed.save(update_fields=["facilitator"])
            given += 1
    return given
