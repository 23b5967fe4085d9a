"""The cohort as the engine (``revans.grouping``, which knows nothing of Django) sees it: the
participants become its people, and the settings its rules."""

from revans.grouping.cohort import DEFAULT_WEIGHTS, Formation, Roster
from revans.grouping.cohort_file import Person

from .models import Cohort, Participant


def participants_of(cohort: Cohort) -> list[Participant]:
    """The cohort's people in file order, each with ``apart_emails``: the people they are kept
    apart from (read in one query: a prefetch would build a queryset per person)."""
    participants = list(
        cohort.participants.select_related("organisation", "manager", "proposed_set").order_by(
            "row"
        )
    )
    email = {p.pk: p.email for p in participants}
    apart: dict[int, list[str]] = {p.pk: [] for p in participants}
    pairs = Participant.keep_apart.through.objects.filter(from_participant__cohort=cohort)
    for first, second in pairs.values_list("from_participant_id", "to_participant_id"):
        apart[first].append(email[second])
    for p in participants:
        p.apart_emails = sorted(apart[p.pk])
    return participants


def roster_of(cohort: Cohort, participants: list[Participant]) -> Roster:
    """The engine's people: each locked person carries the name of their proposed set."""
    return Roster(
        [
            Person(
                row=p.row,
                email=p.email,
                name=p.name,
                organisation=p.organisation.name,
                sector=p.sector,
                role_level=p.role_level,
                location=p.location,
                manager_email=p.manager.email if p.manager else "",
                availability=frozenset(p.availability),
                keep_apart=tuple(p.apart_emails),
                locked=p.proposed_set.name if p.locked and p.proposed_set else "",
                extra=p.extra,
            )
            for p in participants
        ],
        source=cohort.file_name,
    )


def weights_of(cohort: Cohort) -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **cohort.weights}


def formation_for(
    cohort: Cohort,
    participants: list[Participant],
    set_names: list[str] | None,
    check: bool,
    company_sets: dict[str, str] | None = None,
) -> Formation:
    """The cohort's formation under its settings. ``company_sets`` (set name: organisation)
    says which sets are in-company, to check a proposal; without it a run chooses them."""
    return roster_of(cohort, participants).form(
        (cohort.size_min, cohort.size_max),
        sets=cohort.set_count,
        weights=weights_of(cohort),
        max_per_organisation=cohort.max_per_organisation,
        set_names=set_names,
        check=check,
        in_company=cohort.in_company,
        company_sets=company_sets,
    )


def names_for_run(cohort: Cohort, participants: list[Participant]) -> list[str]:
    """The names of the sets a run forms: the sets that hold locked people keep theirs, then
    other existing sets, then new numbers, as many as the settings ask for."""
    m = cohort.set_count or roster_of(cohort, participants).number_of_sets(
        (cohort.size_min, cohort.size_max), cohort.in_company
    )
    existing = list(cohort.proposed_sets.values_list("name", flat=True))
    locked = list(
        dict.fromkeys(p.proposed_set.name for p in participants if p.locked and p.proposed_set)
    )
    names = locked + [n for n in existing if n not in locked]
    numbers = (str(k) for k in range(1, 10**6) if str(k) not in names)
    names += [next(numbers) for _ in range(max(0, m - len(names)))]
    return names[: max(m, len(locked))]
