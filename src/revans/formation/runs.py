"""Running the search that forms a cohort's sets in the background (the worker's queue, or a
thread of the web process), its progress, cancelling it, and failing runs that died."""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from revans.accounts.models import User
from revans.grouping.cohort import FormedSets
from revans.grouping.cohort_file import CohortError

from .engine import formation_for, names_for_run, participants_of
from .facilitators import facilitator_fits
from .models import (
    QUEUED_FOR_AT_MOST,
    STALLED_AFTER,
    Cohort,
    FormationRun,
    Participant,
    ProposedSet,
)

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.25  # seconds between progress writes
STALLED = "The run stopped without finishing (the server restarted?). Run it again."


def start_run(cohort: Cohort, user: User, seed: int | None = None) -> FormationRun | None:
    """Queue a run of the search for this cohort, unless one is running (then None). A run
    that died (``FormationRun.stalled``) is marked failed first, so that it no longer blocks."""
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        fail_stalled_runs(cohort)
        if active_run(cohort):
            return None
        seed = seed if seed is not None else cohort.runs.count() + 1
        run = FormationRun.objects.create(
            cohort=cohort, started_by=user, seconds=cohort.seconds, seed=seed
        )
        transaction.on_commit(lambda: launch(run.pk))
        transaction.on_commit(lambda: _queue_stalled_check(run))
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


def current_run(cohort: Cohort) -> tuple[FormationRun | None, FormationRun | None]:
    """The cohort's run in progress, and the one that died without finishing (not yet marked
    failed): at most one of them. Only reads: a dead run is marked failed by
    ``fail_stalled_runs``, never by showing a page."""
    run = cohort.runs.filter(status__in=FormationRun.ACTIVE).first()
    if run is not None and run.stalled:
        return None, run
    return run, None


def active_run(cohort: Cohort) -> FormationRun | None:
    """The cohort's run in progress, not counting one that died."""
    return current_run(cohort)[0]


def stalled_run(cohort: Cohort) -> FormationRun | None:
    """The cohort's run that stopped without finishing and is not yet marked failed."""
    return current_run(cohort)[1]


def fail_stalled_runs(cohort: Cohort | None = None) -> int:
    """Mark failed every active run (of ``cohort``, or of every cohort) that has been silent
    for so long that it must have died. Each is updated only if it is still as it was read,
    so a run that reports progress meanwhile keeps going. Returns how many were failed."""
    runs = FormationRun.objects.filter(status__in=FormationRun.ACTIVE)
    if cohort is not None:
        runs = runs.filter(cohort=cohort)
    failed = 0
    for run in runs:
        if run.stalled:
            failed += FormationRun.objects.filter(
                pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at
            ).update(
                status=FormationRun.Status.FAILED, problems=[STALLED], finished_at=timezone.now()
            )
    return failed


@task()
def fail_stalled(cohort_id: int | None = None) -> int:
    """The background task: fail the runs that died (queued when a run starts, for when it
    should be long over, and swept whenever a worker starts)."""
    return fail_stalled_runs(Cohort.objects.filter(pk=cohort_id).first() if cohort_id else None)


def _queue_stalled_check(run: FormationRun) -> None:
    if not default_task_backend.supports_defer:
        return  # no worker: the next start of a run fails a dead one
    margin = timedelta(seconds=5)
    for after in (STALLED_AFTER + timedelta(seconds=run.seconds), QUEUED_FOR_AT_MOST):
        fail_stalled.using(run_after=run.created_at + after + margin).enqueue(run.cohort_id)


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
        locked = FormationRun.objects.select_for_update().filter(pk=run_id).first()
        if locked is None:  # the cohort was imported anew meanwhile: its runs are gone
            return "gone"
        if locked.status == FormationRun.Status.CANCELLED:
            return locked.status
        save_assignment(cohort, participants, formed)
        if locked.status == FormationRun.Status.RUNNING:
            locked.progress = 1.0  # stopped early, it keeps the share of the time it used
        locked.status = FormationRun.Status.DONE
        locked.best = formed.solution.objective
        locked.finished_at = timezone.now()
        locked.save()
    return FormationRun.Status.DONE


def _finish(run_id: int, status: str, problems: list[str]) -> None:
    FormationRun.objects.filter(pk=run_id).exclude(status=FormationRun.Status.CANCELLED).update(
        status=status, problems=problems, finished_at=timezone.now()
    )


def save_assignment(cohort: Cohort, participants: list[Participant], formed: FormedSets) -> None:
    """Make the proposal this: one ProposedSet per set name, an in-company one with its
    organisation. Facilitators keep their set, unless it now holds someone from their own
    organisation (and that is not allowed)."""
    names = formed.formation.set_names
    sets = {s.name: s for s in cohort.proposed_sets.select_related("facilitator")}
    for name in set(sets) - set(names):
        sets.pop(name).delete()
    for position, name in enumerate(names):
        if name in sets:
            sets[name].position = position
        else:
            sets[name] = ProposedSet.objects.create(cohort=cohort, name=name, position=position)
    organisation_of = {p.organisation.name.casefold(): p.organisation for p in participants}
    company = formed.formation.company_sets()
    for name, proposed in sets.items():
        organisation = company.get(name)
        proposed.organisation = organisation_of[organisation.casefold()] if organisation else None
    ProposedSet.objects.bulk_update(list(sets.values()), ["position", "organisation"])
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
