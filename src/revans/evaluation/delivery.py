"""How a programme's sets are being delivered, for its managers, its sponsor's report and each
set's facilitator: meetings held, planned and missed, attendance, actions committed and
completed, and which sets are slipping. Counts and rates only (architecture.md §4): no issue,
question, action text or name tied to what was said ever leaves this module.

Three queries for any number of sets (``delivery_of``); every figure is computed
here once, for the dashboard, the facilitator's view and every export.

The words the pages and the report use, so that every reader counts the same way:

- **held**: a meeting that has closed with at least one person recorded present;
- **missed**: a past meeting that was cancelled, or closed with nobody recorded present;
- **planned**: a meeting still to come (scheduled, or under way);
- **attendance rate**: people recorded present, out of everyone whose attendance was recorded,
  at the meetings held;
- **completed**: actions reported done; **partly**: reported partly done;
- **slipping**: an active set whose attendance over its last three meetings held is under
  ``SLIPPING_ATTENDANCE``, or that missed one of its last two past meetings, or where no action
  was reported done or partly done at its last two meetings held while actions were open.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from revans.actions.models import Action
from revans.meetings.models import Attendance, Meeting
from revans.sets.models import Membership, Role, Set

SLIPPING_ATTENDANCE = 0.7  # under 70% present over the last three meetings held
RECENT_HELD = 3  # meetings held that the attendance flag looks at
RECENT_PAST = 2  # past meetings the "missed" and "no action completed" flags look at

DONE_STATES = (Action.Status.DONE, Action.Status.PARTLY)


def natural(name: str) -> list[tuple[int, int | str]]:
    """A sort key that puts "Set 2" before "Set 10"."""
    return [
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", name.casefold())
    ]


def rate(part: int, whole: int) -> float | None:
    """``part`` out of ``whole`` (0–1), or None when there is nothing to count."""
    return part / whole if whole else None


@dataclass(frozen=True)
class MeetingCount:
    """One meeting's figures: when, and whether it was held, missed or is still planned."""

    pk: int
    set_id: int
    number: int
    starts_at: datetime
    state: str  # "held", "missed" or "planned"
    recorded: int
    present: int


@dataclass
class SetDelivery:
    """One set's delivery figures."""

    set_id: int
    name: str
    status: str
    members: int = 0
    meetings_held: int = 0
    meetings_planned: int = 0
    meetings_missed: int = 0
    attendance_recorded: int = 0
    attendance_present: int = 0
    actions_committed: int = 0
    actions_completed: int = 0
    actions_partly: int = 0
    actions_open: int = 0
    slipping: list[str] = field(default_factory=list)
    """Why the set is slipping, in words; empty when it is on track."""

    @property
    def attendance_rate(self) -> float | None:
        return rate(self.attendance_present, self.attendance_recorded)

    @property
    def completion_rate(self) -> float | None:
        """Actions reported done, out of every action committed."""
        return rate(self.actions_completed, self.actions_committed)

    @property
    def is_slipping(self) -> bool:
        return bool(self.slipping)

    @property
    def status_label(self) -> str:
        return Set.Status(self.status).label


@dataclass(frozen=True)
class MonthCount:
    """Meetings held, missed and planned in one calendar month (UTC), for the programme's chart."""

    month: date
    held: int
    missed: int
    planned: int


@dataclass
class Delivery:
    """A programme's (or any group of sets') delivery: each set, and the totals."""

    sets: list[SetDelivery]
    months: list[MonthCount]

    def total(self, name: str) -> int:
        return sum(getattr(s, name) for s in self.sets)

    @property
    def meetings_held(self) -> int:
        return self.total("meetings_held")

    @property
    def meetings_planned(self) -> int:
        return self.total("meetings_planned")

    @property
    def meetings_missed(self) -> int:
        return self.total("meetings_missed")

    @property
    def members(self) -> int:
        return self.total("members")

    @property
    def actions_committed(self) -> int:
        return self.total("actions_committed")

    @property
    def actions_completed(self) -> int:
        return self.total("actions_completed")

    @property
    def actions_partly(self) -> int:
        return self.total("actions_partly")

    @property
    def attendance_rate(self) -> float | None:
        return rate(self.total("attendance_present"), self.total("attendance_recorded"))

    @property
    def completion_rate(self) -> float | None:
        return rate(self.actions_completed, self.actions_committed)

    @property
    def slipping(self) -> list[SetDelivery]:
        return [s for s in self.sets if s.is_slipping]


def month_range(months: Iterable[date]) -> list[date]:
    """Every month from the first of ``months`` to the last, those without a meeting included:
    a chart over time keeps its time axis even."""
    known = sorted(months)
    if not known:
        return []
    every, month = [], known[0]
    while month <= known[-1]:
        every.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return every


def _state(status: str, ends_at: datetime, present: int, now: datetime) -> str:
    if status == Meeting.Status.CANCELLED:
        return "missed" if ends_at <= now else "cancelled"
    if status == Meeting.Status.CLOSED:
        return "held" if present else "missed"
    # Scheduled or live: still to come, or under way, or left open past its end (the sweep
    # closes it; until then it is neither held nor missed, as the pages show it "Ended").
    return "planned" if ends_at > now else "open"


def meeting_counts(set_ids: Sequence[int], now: datetime) -> list[MeetingCount]:
    """Every meeting of these sets with its attendance counts, in order: one query."""
    rows = (
        Meeting.objects.filter(set_id__in=set_ids)
        .order_by("set_id", "starts_at", "number")
        .values_list("pk", "set_id", "number", "starts_at", "duration_minutes", "status")
        .annotate(
            recorded=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
        )
    )
    counts = []
    for pk, set_id, number, starts_at, minutes, status, recorded, present in rows:
        state = _state(status, starts_at + timedelta(minutes=minutes), present, now)
        counts.append(MeetingCount(pk, set_id, number, starts_at, state, recorded, present))
    return counts


def _flags(
    meetings: list[MeetingCount], reported: dict[int, int], open_before: dict[int, int]
) -> list[str]:
    """Why a set with these meetings (in date order) is slipping, in words."""
    reasons = []
    held = [m for m in meetings if m.state == "held"]
    recent = held[-RECENT_HELD:]
    recorded = sum(m.recorded for m in recent)
    present = sum(m.present for m in recent)
    if recorded and present / recorded < SLIPPING_ATTENDANCE:
        reasons.append(
            f"Attendance {round(100 * present / recorded)}% at its last "
            f"{len(recent)} meeting{'s' if len(recent) != 1 else ''} held"
        )
    past = [m for m in meetings if m.state in ("held", "missed")][-RECENT_PAST:]
    missed = sum(1 for m in past if m.state == "missed")
    if missed:
        reasons.append(
            f"Missed {missed} of its last {len(past)} meeting{'s' if len(past) != 1 else ''}"
        )
    last_held = held[-RECENT_PAST:]
    if len(last_held) == RECENT_PAST:
        done = sum(reported.get(m.number, 0) for m in last_held)
        if not done and open_before.get(last_held[0].number, 0):
            reasons.append(f"No action completed at its last {RECENT_PAST} meetings held")
    return reasons


def delivery_of(sets: Iterable[Set], now: datetime | None = None) -> Delivery:
    """The delivery figures of ``sets`` (already checked by the caller: a programme its
    manager may see, or the sets a facilitator runs), in three queries for any number of sets."""
    now = now or timezone.now()
    sets = list(sets)
    ids = [s.pk for s in sets]
    by_set = {s.pk: SetDelivery(set_id=s.pk, name=s.name, status=s.status) for s in sets}
    for set_id, members in (
        Membership.objects.filter(set_id__in=ids, role=Role.MEMBER)
        .order_by()
        .values_list("set_id")
        .annotate(n=Count("pk"))
    ):
        by_set[set_id].members = members

    meetings = meeting_counts(ids, now)
    meetings_of: dict[int, list[MeetingCount]] = defaultdict(list)
    months: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for m in meetings:
        meetings_of[m.set_id].append(m)
        figures = by_set[m.set_id]
        month = m.starts_at.date().replace(day=1)
        if m.state == "held":
            figures.meetings_held += 1
            figures.attendance_recorded += m.recorded
            figures.attendance_present += m.present
            months[month][0] += 1
        elif m.state == "missed":
            figures.meetings_missed += 1
            months[month][1] += 1
        elif m.state == "planned":
            figures.meetings_planned += 1
            months[month][2] += 1

    # Actions, counted by set, state and the meetings they were committed and reported in:
    # counts only, the text is never read (architecture.md §4).
    number_of = {m.pk: m.number for m in meetings}
    reported: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    committed_in: dict[int, list[tuple[int, int | None, int]]] = defaultdict(list)
    for set_id, status, committed, reported_in, n in (
        Action.objects.filter(set_id__in=ids)
        .order_by()
        .values_list("set_id", "status", "committed_in_id", "reported_in_id")
        .annotate(n=Count("pk"))
    ):
        figures = by_set[set_id]
        figures.actions_committed += n
        if status == Action.Status.DONE:
            figures.actions_completed += n
        elif status == Action.Status.PARTLY:
            figures.actions_partly += n
        elif status == Action.Status.COMMITTED:
            figures.actions_open += n
        reported_number = number_of.get(reported_in) if reported_in else None
        if status in DONE_STATES and reported_number is not None:
            reported[set_id][reported_number] += n
        committed_in[set_id].append((number_of.get(committed, 0), reported_number, n))

    for set_id, figures in by_set.items():
        if figures.status != Set.Status.ACTIVE:
            continue
        # Actions open when each meeting began: committed earlier, not yet reported by then.
        open_before: dict[int, int] = defaultdict(int)
        for m in meetings_of[set_id]:
            open_before[m.number] = sum(
                n
                for committed, reported_number, n in committed_in[set_id]
                if committed < m.number and (reported_number is None or reported_number >= m.number)
            )
        figures.slipping = _flags(meetings_of[set_id], reported[set_id], open_before)

    return Delivery(
        sets=sorted(by_set.values(), key=lambda s: (natural(s.name), s.set_id)),
        months=[MonthCount(month, *months.get(month, (0, 0, 0))) for month in month_range(months)],
    )
