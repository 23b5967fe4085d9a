"""Forming a programme's sets from its cohort: importing the cohort file, running the search in
the background, moving and locking people by hand, giving sets facilitators, and accepting the
proposal, which creates the sets, memberships and invitations.

The engine (``revans.grouping``) knows nothing of Django; this module turns the cohort's rows
into its people and its answer back into rows.
"""

import difflib
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from revans.accounts.models import Organisation
from revans.grouping import RuleCheck
from revans.grouping.cohort import (
    DEFAULT_WEIGHTS,
    CohortError,
    Formation,
    FormedSets,
    Person,
    Roster,
    mean_all_pairs,
    read_cohort_data,
    rule_groups,
)
from revans.grouping.facilitators import Facilitator, assign_facilitators, can_facilitate
from revans.grouping.problem import make_solution
from revans.sets import services as set_services
from revans.sets.models import Membership, MembershipChange, Role, Set

from .models import Cohort, FormationRun, Participant, Programme, ProposedSet

logger = logging.getLogger(__name__)
User = get_user_model()

MAX_FILE_BYTES = 2 * 1024 * 1024
PROGRESS_EVERY = 0.25  # seconds between progress writes
STALLED_AFTER = timedelta(seconds=30)  # a run silent this long past its time has died


# Importing a cohort file


@dataclass
class ImportPreview:
    """A cohort file read and checked against Revans's organisations, before it is saved."""

    file_name: str
    cohort: Roster | None = None
    errors: list[str] = field(default_factory=list)
    known: dict[str, Organisation] = field(default_factory=dict)  # casefolded name → org
    new_organisations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.cohort is not None and not self.errors

    @property
    def people(self) -> list[Person]:
        return self.cohort.people if self.cohort else []

    @property
    def organisation_count(self) -> int:
        return len({p.organisation.casefold() for p in self.people})

    @property
    def manager_pairs(self) -> int:
        return sum(bool(p.manager_email) for p in self.people)

    @property
    def apart_pairs(self) -> int:
        return len(
            {frozenset((p.email, e)) for p in self.people for e in p.keep_apart if e != p.email}
        )

    @property
    def slots(self) -> list[str]:
        return sorted(set().union(*(p.availability for p in self.people)))


def preview_import(data: bytes, file_name: str, similar_are_new: bool = False) -> ImportPreview:
    """Read a cohort file; every problem is listed with its rows, and nothing is saved.

    An organisation is matched to Revans's by name, whatever the case. A name close to a known
    one but not the same ("Leeds City Counci") is an error, since it is most likely a typo that
    would put two colleagues in one set, unless ``similar_are_new`` says such names are new
    organisations; other new names become new organisations. Names that differ only in their
    digits ("Ward 7", "Ward 8") are never taken for typos of each other."""
    preview = ImportPreview(file_name)
    if len(data) > MAX_FILE_BYTES:
        preview.errors = [f"the file is {len(data) // 1024} kB; at most 2 MB can be imported"]
        return preview
    try:
        preview.cohort = read_cohort_data(data, file_name)
    except CohortError as error:
        preview.errors = error.errors
        return preview
    existing = {o.name.casefold(): o for o in Organisation.objects.all()}
    names = list(existing)
    new: dict[str, str] = {}
    longest = {
        "e-mail": Participant._meta.get_field("email").max_length,
        "organisation": Organisation._meta.get_field("name").max_length,
    }
    for person in preview.people:
        # Longer values would not fit the database's columns (an error on PostgreSQL).
        for what, value in (("e-mail", person.email), ("organisation", person.organisation)):
            if len(value) > longest[what]:
                preview.errors.append(
                    f"row {person.row}: the {what} is longer than {longest[what]} characters"
                )
        key = person.organisation.casefold()
        if key in existing:
            preview.known[key] = existing[key]
            continue
        close = [] if similar_are_new else _typo_of(key, names)
        if close:
            preview.errors.append(
                f"row {person.row}: organisation “{person.organisation}” is not in Revans; "
                f"did you mean “{existing[close[0]].name}”? (If it is another organisation, "
                "tick “These are different organisations” and upload the file again.)"
            )
        else:
            new.setdefault(key, person.organisation)
    preview.new_organisations = sorted(new.values(), key=str.casefold)
    return preview


def _typo_of(name: str, known: list[str]) -> list[str]:
    """Known names that ``name`` is most likely a misspelling of."""
    digits = re.compile(r"\d")
    return [
        other
        for other in difflib.get_close_matches(name, known, n=3, cutoff=0.88)
        if digits.sub("", other) != digits.sub("", name)
    ][:1]


SECTOR_WORDS = {
    Organisation.Sector.LOCAL_GOVERNMENT: ("council", "local government", "local"),
    Organisation.Sector.HEALTH: ("health", "nhs", "hospital", "care"),
    Organisation.Sector.HOUSING: ("housing",),
    Organisation.Sector.CHARITY: ("charity", "voluntary", "third sector"),
    Organisation.Sector.EDUCATION: ("education", "school", "university", "college"),
    Organisation.Sector.CENTRAL_GOVERNMENT: ("central government", "civil service"),
    Organisation.Sector.PRIVATE: ("private", "business", "company"),
}


def sector_of(text: str) -> str:
    """Revans's sector for the cohort file's sector text (Other when nothing matches)."""
    text = text.casefold()
    for sector, words in SECTOR_WORDS.items():
        if any(word in text for word in words):
            return sector
    return Organisation.Sector.OTHER


@transaction.atomic
def do_import(programme: Programme, preview: ImportPreview, user) -> Cohort:
    """Save a clean preview as the programme's cohort, replacing one not yet accepted."""
    assert preview.ok
    Cohort.objects.filter(programme=programme).delete()
    cohort = Cohort.objects.create(
        programme=programme, file_name=preview.file_name[:200], imported_by=user
    )
    organisations = dict(preview.known)
    for person in preview.people:
        key = person.organisation.casefold()
        if key not in organisations:
            organisations[key], _ = Organisation.objects.get_or_create(
                name=person.organisation, defaults={"sector": sector_of(person.sector)}
            )
    labels = list(dict.fromkeys(p.locked for p in preview.people if p.locked))
    named = {
        label: ProposedSet.objects.create(cohort=cohort, name=label[:60], position=k)
        for k, label in enumerate(labels)
    }
    participants = Participant.objects.bulk_create(
        Participant(
            cohort=cohort,
            row=p.row,
            email=p.email,
            name=p.name[:200],
            organisation=organisations[p.organisation.casefold()],
            sector=p.sector[:100],
            role_level=p.role_level,
            location=p.location[:100],
            availability=sorted(p.availability),
            extra=dict(p.extra),
            proposed_set=named.get(p.locked),
            locked=bool(p.locked),
        )
        for p in preview.people
    )
    by_email = {p.email: p for p in participants}
    for person, participant in zip(preview.people, participants, strict=True):
        if person.manager_email:
            participant.manager = by_email[person.manager_email]
    Participant.objects.bulk_update(participants, ["manager"])
    apart = {
        frozenset((by_email[p.email].pk, by_email[e].pk))
        for p in preview.people
        for e in p.keep_apart
        if e != p.email
    }
    through = Participant.keep_apart.through
    through.objects.bulk_create(
        through(from_participant_id=a, to_participant_id=b)
        for pair in apart
        for a, b in (tuple(pair), tuple(pair)[::-1])
    )
    pool = User.objects.filter(
        memberships__role=Role.FACILITATOR, memberships__set__programme__managers=user
    ).distinct()
    cohort.facilitators.set(pool)
    return cohort


# The cohort as the engine sees it


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


def engine_cohort(cohort: Cohort, participants: list[Participant]) -> Roster:
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
    cohort: Cohort, participants: list[Participant], set_names: list[str] | None, check: bool
) -> Formation:
    return engine_cohort(cohort, participants).form(
        (cohort.size_min, cohort.size_max),
        sets=cohort.set_count,
        weights=weights_of(cohort),
        max_per_organisation=cohort.max_per_organisation,
        set_names=set_names,
        check=check,
    )


def names_for_run(cohort: Cohort, participants: list[Participant]) -> list[str]:
    """The names of the sets a run forms: the sets that hold locked people keep theirs, then
    other existing sets, then new numbers, as many as the settings ask for."""
    m = cohort.set_count or engine_cohort(cohort, participants).number_of_sets(
        (cohort.size_min, cohort.size_max)
    )
    existing = list(cohort.proposed_sets.values_list("name", flat=True))
    locked = list(
        dict.fromkeys(p.proposed_set.name for p in participants if p.locked and p.proposed_set)
    )
    names = locked + [n for n in existing if n not in locked]
    numbers = (str(k) for k in range(1, 10**6) if str(k) not in names)
    names += [next(numbers) for _ in range(max(0, m - len(names)))]
    return names[: max(m, len(locked))]


# Running the search


def start_run(cohort: Cohort, user, seed: int | None = None) -> FormationRun:
    """Queue a run of the search for this cohort; the caller checks none is running."""
    seed = seed if seed is not None else cohort.runs.count() + 1
    run = FormationRun.objects.create(
        cohort=cohort, started_by=user, seconds=cohort.seconds, seed=seed
    )
    transaction.on_commit(lambda: launch(run.pk))
    return run


def launch(run_id: int) -> None:
    """Run in the worker when tasks are queued in the database, else in a thread of this
    process (the embedded default), so the page can show progress meanwhile."""
    if settings.TASKS_BACKEND == "database":
        form_sets.enqueue(run_id)
    else:
        threading.Thread(target=_in_thread, args=(run_id,), daemon=True).start()


def _in_thread(run_id: int) -> None:
    try:
        execute_run(run_id)
    finally:
        connections.close_all()


@task()
def form_sets(run_id: int) -> str:
    """The background task: run a formation (see execute_run)."""
    return execute_run(run_id)


def active_run(cohort: Cohort) -> FormationRun | None:
    """The cohort's run in progress; a run silent for long past its time is marked failed."""
    run = cohort.runs.filter(status__in=FormationRun.ACTIVE).first()
    if run is None:
        return None
    last = run.heartbeat_at or run.created_at
    limit = STALLED_AFTER + timedelta(seconds=run.seconds if run.heartbeat_at else 0)
    if run.status == FormationRun.Status.QUEUED:
        limit = timedelta(minutes=10)  # waiting for a worker
    if timezone.now() - last > limit:
        FormationRun.objects.filter(pk=run.pk, status=run.status).update(
            status=FormationRun.Status.FAILED,
            problems=["The run stopped without finishing (the server restarted?). Run it again."],
            finished_at=timezone.now(),
        )
        return None
    return run


def execute_run(run_id: int) -> str:
    """Form the sets: the best assignment found in the run's time becomes the proposal, unless
    the run is cancelled (then nothing changes). Returns the run's final status."""
    close_old_connections()
    started = FormationRun.objects.filter(pk=run_id, status=FormationRun.Status.QUEUED).update(
        status=FormationRun.Status.RUNNING, heartbeat_at=timezone.now()
    )
    if not started:
        return "not queued"
    run = FormationRun.objects.select_related("cohort").get(pk=run_id)
    cohort = run.cohort
    last_write = [0.0]

    def progress(fraction: float, best: float) -> bool:
        now = timezone.now().timestamp()
        if now - last_write[0] < PROGRESS_EVERY and fraction < 1:
            return False
        last_write[0] = now
        going = FormationRun.objects.filter(pk=run_id, status=FormationRun.Status.RUNNING).update(
            progress=fraction, best=best, heartbeat_at=timezone.now()
        )
        return not going  # cancelled or asked to stop

    try:
        participants = participants_of(cohort)
        formation = formation_for(cohort, participants, names_for_run(cohort, participants), True)
        formed = formation.solve(run.seconds, seed=run.seed, progress=progress)
    except CohortError as error:
        _finish(run_id, FormationRun.Status.FAILED, problems=error.errors)
        return FormationRun.Status.FAILED
    except Exception:
        logger.exception("Formation run %s failed", run_id)
        _finish(
            run_id, FormationRun.Status.FAILED, problems=["Something went wrong; run it again."]
        )
        return FormationRun.Status.FAILED
    with transaction.atomic():
        run = FormationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:  # the cohort was imported anew meanwhile: its runs are gone
            return "gone"
        if run.status == FormationRun.Status.CANCELLED:
            return run.status
        save_assignment(cohort, participants, formed)
        if run.status == FormationRun.Status.RUNNING:
            run.progress = 1.0  # stopped early, it keeps the share of the time it used
        run.status = FormationRun.Status.DONE
        run.best = formed.solution.objective
        run.finished_at = timezone.now()
        run.save()
    return FormationRun.Status.DONE


def _finish(run_id: int, status: str, problems: list[str]) -> None:
    FormationRun.objects.filter(pk=run_id).exclude(status=FormationRun.Status.CANCELLED).update(
        status=status, problems=problems, finished_at=timezone.now()
    )


def save_assignment(cohort: Cohort, participants: list[Participant], formed: FormedSets) -> None:
    """Make the proposal this: one ProposedSet per set name. Facilitators keep their set,
    unless it now holds someone from their own organisation (and that is not allowed)."""
    names = formed.formation.set_names
    sets = {s.name: s for s in cohort.proposed_sets.select_related("facilitator")}
    for name in set(sets) - set(names):
        sets.pop(name).delete()
    for position, name in enumerate(names):
        if name in sets:
            sets[name].position = position
        else:
            sets[name] = ProposedSet.objects.create(cohort=cohort, name=name, position=position)
    ProposedSet.objects.bulk_update(list(sets.values()), ["position"])
    organisations: dict[str, set[int]] = {name: set() for name in names}
    for i, participant in enumerate(participants):
        participant.proposed_set = sets[formed.set_of(i)]
        organisations[formed.set_of(i)].add(participant.organisation_id)
    Participant.objects.bulk_update(participants, ["proposed_set"])
    for name, proposed in sets.items():
        facilitator = proposed.facilitator
        if facilitator and not facilitator_fits(cohort, facilitator, organisations[name]):
            proposed.facilitator = None
            proposed.save(update_fields=["facilitator"])


def cancel_run(run: FormationRun, keep_best: bool) -> bool:
    """Cancel a run (nothing changes) or stop it early keeping the best sets found so far.
    False when the run had already finished."""
    if keep_best:
        return bool(
            FormationRun.objects.filter(pk=run.pk, status=FormationRun.Status.RUNNING).update(
                status=FormationRun.Status.STOPPING
            )
        )
    return bool(
        FormationRun.objects.filter(pk=run.pk, status__in=FormationRun.ACTIVE).update(
            status=FormationRun.Status.CANCELLED, finished_at=timezone.now()
        )
    )


# The proposal on the review screen


@dataclass
class BoardSet:
    """One proposed set as the review screen shows it."""

    proposed: ProposedSet
    members: list[Participant]
    score: float
    broken: list[RuleCheck]
    slots: list[str]

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
    proposed = list(cohort.proposed_sets.select_related("facilitator__organisation"))
    if not proposed or any(p.proposed_set_id is None for p in participants):
        return None
    names = [s.name for s in proposed]
    formation = formation_for(cohort, participants, names, check=False)
    index = {s.pk: g for g, s in enumerate(proposed)}
    assignment = [index[p.proposed_set_id] for p in participants]
    formed = FormedSets(formation, make_solution(formation.problem, assignment))
    rules = formed.rules()
    members: dict[int, list[Participant]] = {s.pk: [] for s in proposed}
    for p in participants:
        members[p.proposed_set_id].append(p)
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
                slots = sorted(frozenset.intersection(*(availability[i] for i in idx)))
        board_sets.append(
            BoardSet(s, members[s.pk], formed.solution.group_scores[g], by_set[s.pk], slots)
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


# Facilitators


def facilitator_fits(cohort: Cohort, user, organisation_ids: set[int]) -> bool:
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
    result = assign_facilitators(orgs, facilitators, fixed, cohort.facilitator_same_organisation)
    given = 0
    for g, key in result.items():
        if g not in fixed:
            proposed = board.sets[g].proposed
            proposed.facilitator_id = key
            proposed.save(update_fields=["facilitator"])
            given += 1
    return given


# Accepting


def manager_problems(cohort: Cohort, board: Board) -> list[str]:
    """The programme's managers placed in a set or given one to facilitate: a manager joins a
    set only when one of its facilitators invites them by name (architecture.md §4)."""
    managers = {u.email.casefold(): u for u in cohort.programme.managers.all()}
    problems = []
    for board_set in board.sets:
        facilitator = board_set.proposed.facilitator
        people = [p.email for p in board_set.members]
        people += [facilitator.email] if facilitator is not None else []
        for email in people:
            manager = managers.get(email.casefold())
            if manager is not None:
                problems.append(
                    set_services.MANAGER_JOINS_BY_INVITATION.format(name=manager)
                    + f" Take them out of {board_set.proposed}."
                )
    return problems


@dataclass
class Accepted:
    sets: list[Set]
    memberships: int
    invitations: int


def do_accept(cohort: Cohort, user) -> Accepted:
    """Create the programme's sets from the proposal: people already in Revans become members
    at once, the others are invited by e-mail (by the background worker when there is one),
    and each facilitator joins their set."""
    board = board_for(cohort)
    assert board is not None and not board.broken and not manager_problems(cohort, board)
    users = {
        u.email.casefold(): u
        for u in User.objects.filter(email__in=[p.email for s in board.sets for p in s.members])
    }
    created: list[Set] = []
    memberships = 0
    to_invite: list[tuple[Set, list[str]]] = []
    with transaction.atomic():
        for board_set in board.sets:
            name = f"{cohort.programme.name} · {board_set.proposed}"[:120]
            set_ = Set.objects.create(
                programme=cohort.programme,
                name=name,
                place="To be agreed",
                status=Set.Status.FORMING,
            )
            created.append(set_)
            facilitator = board_set.proposed.facilitator
            new = []
            if facilitator is not None:
                new.append(Membership(set=set_, user=facilitator, role=Role.FACILITATOR))
            emails = []
            for p in board_set.members:
                person = users.get(p.email.casefold())
                if person is None:
                    emails.append(p.email)
                elif person != facilitator:
                    new.append(Membership(set=set_, user=person, role=Role.MEMBER))
            Membership.objects.bulk_create(new)
            MembershipChange.objects.bulk_create(
                MembershipChange(
                    set=set_,
                    person=m.user,
                    person_name=str(m.user),
                    kind=MembershipChange.Kind.JOINED,
                    role=m.role,
                    by=user,
                    by_name=str(user),
                    how="formation",
                )
                for m in new
            )
            memberships += len(new)
            to_invite.append((set_, emails))
        cohort.accepted_at = timezone.now()
        cohort.save(update_fields=["accepted_at"])
    send_invitations.enqueue([[set_.pk, emails] for set_, emails in to_invite if emails], user.pk)
    return Accepted(created, memberships, sum(len(emails) for _, emails in to_invite))


@task()
def send_invitations(invitations: list[list], inviter_id: int) -> int:
    """E-mail each [set id, e-mails] its invitations: an accepted cohort may mean hundreds of
    e-mails, too many to send while a person waits for a page."""
    inviter = User.objects.filter(pk=inviter_id).first()
    sent = 0
    for set_id, emails in invitations:
        set_ = Set.objects.get(pk=set_id)
        sent += len(set_services.do_invite(set_, emails, Role.MEMBER, inviter, _link))
    return sent


def _link(token: str) -> str:
    return settings.SITE_URL + reverse("invitation_accept", args=[token])
