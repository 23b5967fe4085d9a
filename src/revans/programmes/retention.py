"""Retention: what was said in a set's meetings is kept for its programme's
``retention_months`` after the set closes (12 by default, and for a set outside a programme),
then deleted by a task (``purge_expired_sets``: the sweep of ``revans worker`` and ``revans
serve``, and ``revans purge_closed_sets``). What is deleted is ``meetings.purge``'s to say; when,
and the set page's sentence about it, are here (architecture.md §4)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import default_task_backend, task

from revans.accounts.models import User
from revans.core.dates import add_months
from revans.meetings.models import Meeting
from revans.meetings.purge import Purged, held_content, purge
from revans.sets.models import Membership, Set, SetAccess

from .presets import RETENTION_MONTHS_DEFAULT, RETENTION_MONTHS_MIN

logger = logging.getLogger(__name__)

# With a worker, the task queues its next run this long after each run (the worker's start
# sweeps too): content goes within a day of its date, and a set closed today needs no run queued.
RUN_EVERY = timedelta(days=1)


def months_for(set_: Set) -> int:
    """How many months after closing ``set_``'s content is kept: its programme's setting, or
    the default for a set outside a programme."""
    programme = set_.programme if set_.programme_id is not None else None
    return programme.retention_months if programme is not None else RETENTION_MONTHS_DEFAULT


def purge_due_at(set_: Set) -> datetime | None:
    """When a closed set's content is to be deleted; None while the set is open."""
    if set_.closed_at is None:
        return None
    return add_months(set_.closed_at, months_for(set_))


def _not_purged_since_closing() -> Q:
    return Q(content_purged_at=None) | Q(content_purged_at__lt=F("closed_at"))


def due_set_ids(now: datetime) -> list[int]:
    """The closed sets whose content is due for deletion at ``now`` and still held: one query,
    however many sets (only those closed at least the shortest retention ago are read)."""
    rows = (
        Set.objects.filter(
            status=Set.Status.CLOSED, closed_at__lte=add_months(now, -RETENTION_MONTHS_MIN)
        )
        .filter(_not_purged_since_closing())
        .values_list("pk", "closed_at", "programme__retention_months")
        .order_by("closed_at", "pk")
    )
    return [
        pk
        for pk, closed_at, months in rows
        if add_months(closed_at, months or RETENTION_MONTHS_DEFAULT) <= now
    ]


def do_purge_set(set_id: int, now: datetime) -> Purged | None:
    """Deletes what was said in the set's meetings, if it is still due (the set may have been
    reopened, purged by another process or its programme's setting lengthened since it was
    listed): one transaction, the set's row locked, marked ``content_purged_at``. None when
    there was nothing to do."""
    with transaction.atomic():
        set_ = Set.objects.select_for_update().filter(pk=set_id).first()
        if set_ is None or set_.status != Set.Status.CLOSED or set_.content_purged:
            return None
        due = purge_due_at(set_)
        if due is None or due > now:
            return None
        purged = purge(Meeting.objects.filter(set_id=set_id), now)
        Set.objects.filter(pk=set_id).update(content_purged_at=now)
    logger.info("Deleted what was said in set %s: %s", set_id, purged.as_dict())
    return purged


def purge_expired(now: datetime | None = None) -> dict[int, Purged]:
    """Every set now due, each in its own transaction; one that fails is logged and left for
    the next run, and the others go on."""
    now = now or timezone.now()
    done: dict[int, Purged] = {}
    for set_id in due_set_ids(now):
        try:
            purged = do_purge_set(set_id, now)
        except Exception:
            logger.exception("Deleting what was said in set %s failed", set_id)
            continue
        if purged is not None:
            done[set_id] = purged
    return done


def would_purge(now: datetime | None = None) -> list[tuple[Set, Purged]]:
    """What ``purge_expired`` would delete at ``now``, changing nothing (``--dry-run``)."""
    now = now or timezone.now()
    sets = Set.objects.filter(pk__in=due_set_ids(now)).select_related("programme")
    return [
        (set_, held_content(Meeting.objects.filter(set=set_)))
        for set_ in sets.order_by("closed_at", "pk")
    ]


@task()
def purge_expired_sets() -> int:
    """Deletes what was said in every set whose retention is over. Safe to run at any time, by
    any number of workers: a set is purged once, under its row's lock."""
    count = len(purge_expired())
    _queue_next_run()
    return count


def _queue_next_run() -> None:
    if not default_task_backend.supports_defer:
        return  # tasks run at once: `revans serve` sweeps every minute
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=purge_expired_sets.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():  # one chain of daily runs, however often workers start
        purge_expired_sets.using(run_after=timezone.now() + RUN_EVERY).enqueue()


@dataclass
class Retention:
    """What the set page says about how long what was said is kept."""

    months: int
    in_programme: bool
    closed_at: datetime | None
    due_at: datetime | None
    purged_at: datetime | None  # when the content was deleted since the set last closed
    earlier_purged_at: datetime | None  # a reopened set: when its earlier content was deleted

    @property
    def whose(self) -> str:
        return (
            "the programme’s setting"
            if self.in_programme
            else "Revans’ rule for sets outside a programme"
        )

    @property
    def after(self) -> str:
        return f"{self.months} month{'s' if self.months != 1 else ''}"

    def sentence(self) -> str:
        if self.purged_at is not None:
            return (
                f"What was said in this set’s meetings was deleted on {_day(self.purged_at)}, "
                f"{self.after} after the set closed ({self.whose})."
            )
        if self.due_at is not None and self.due_at <= timezone.now():
            # Due, and the next run of the task (within a day) has not come yet.
            return (
                f"What was said in this set’s meetings was kept until {_day(self.due_at)}, "
                f"{self.after} after the set closed ({self.whose}), and is being deleted."
            )
        if self.due_at is not None:
            return (
                f"What was said in this set’s meetings will be deleted on {_day(self.due_at)}, "
                f"{self.after} after the set closed ({self.whose})."
            )
        return (
            f"What is said in this set’s meetings is kept until {self.after} after the set "
            f"closes ({self.whose}), then deleted."
        )

    def earlier(self) -> str:
        """For a set reopened after its content was deleted."""
        if self.earlier_purged_at is None:
            return ""
        return (
            f"What was said in its meetings before it reopened was deleted on "
            f"{_day(self.earlier_purged_at)}."
        )


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def retention_part(
    user: User | AnonymousUser, set_: Set, access: SetAccess, memberships: list[Membership]
) -> dict[str, Any]:
    """The set page's sentence on when what was said in the set's meetings will be, or was,
    deleted: for everyone who sees the set page (a date, never content). No query: the
    programme is the one the page has read."""
    purged_now = set_.closed_at is not None and set_.content_purged
    return {
        "retention": Retention(
            months=months_for(set_),
            in_programme=set_.programme_id is not None,
            closed_at=set_.closed_at,
            due_at=purge_due_at(set_),
            purged_at=set_.content_purged_at if purged_now else None,
            earlier_purged_at=set_.content_purged_at if not purged_now else None,
        )
    }
