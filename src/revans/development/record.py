"""A facilitator's practice record (architecture.md §4): what Revans counts from its own meetings
(the meetings they facilitated, in the sets they facilitate and, for the time they did, those
they have left or now sit in as members, from the record of membership changes; observed
practice; their facilitators' peer sets; the training days they came to) beside what they recorded themselves (``PracticeEntry``: facilitation
elsewhere, supervision, CPD). One ``PracticeRecord`` is what the page, the PDF and the CSV show.

The record is its person's alone, and it reads only dates, hours, counts and set and programme
names: nothing said in a set (no summaries, no notes, no feedback) is read for it.
It takes six queries whatever the history.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from revans.accounts.models import FacilitatorTraining, User
from revans.meetings.models import Attendance, Meeting, run_without
from revans.sets.models import Membership, MembershipChange, Role

from .models import DayAttendance, Observation, PracticeEntry

ZERO = Decimal("0")
CENT = Decimal("0.01")


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(CENT)


@dataclass(frozen=True)
class MeetingLine:
    """A closed meeting of Revans: one they facilitated, or one of their peer sets."""

    on: date
    number: int
    set_name: str
    programme: str
    hours: Decimal
    co_facilitated: bool = False

    @property
    def shown_hours(self) -> str:
        return hours(self.hours)


@dataclass(frozen=True)
class ObservationLine:
    """Observed practice: ``of_them`` when they chaired and were observed, else they observed."""

    on: date
    set_name: str
    programme: str
    of_them: bool
    other: str  # the observer, or the person observed
    feedback_written: bool

    @property
    def what(self) -> str:
        return f"Observed by {self.other}" if self.of_them else f"Observing {self.other}"


@dataclass(frozen=True)
class DayLine:
    """A training day they came to: CPD."""

    on: date
    title: str
    programme: str
    hours: Decimal

    @property
    def shown_hours(self) -> str:
        return hours(self.hours)


@dataclass(frozen=True)
class RecordLine:
    """One line of the record as the files write it."""

    on: date
    kind: str
    what: str
    where: str  # the set or the client
    programme: str
    hours: Decimal | None
    note: str = ""


# Each line's kind, as the files name it.
FACILITATION = "Facilitation (Revans)"
PEER_SET = "Supervision (peer set)"
TRAINING_DAY = "CPD (training day)"
OBSERVED = "Observed practice"


@dataclass(frozen=True)
class PracticeRecord:
    user: User
    start: date | None
    end: date | None
    facilitated: list[MeetingLine]
    observations: list[ObservationLine]
    peer_meetings: list[MeetingLine]
    training_days: list[DayLine]
    entries: list[PracticeEntry]

    # Revans' own meetings
    @property
    def sets_facilitated(self) -> int:
        return len({(m.set_name, m.programme) for m in self.facilitated})

    @property
    def meetings_facilitated(self) -> int:
        return len(self.facilitated)

    @property
    def co_facilitated(self) -> int:
        return sum(1 for m in self.facilitated if m.co_facilitated)

    @property
    def revans_hours(self) -> Decimal:
        return sum((m.hours for m in self.facilitated), ZERO)

    @property
    def observed(self) -> int:
        """Sessions of theirs someone observed."""
        return sum(1 for o in self.observations if o.of_them)

    @property
    def observing(self) -> int:
        """Sessions of others they observed."""
        return sum(1 for o in self.observations if not o.of_them)

    # What they recorded, by kind
    def entries_of(self, kind: str) -> list[PracticeEntry]:
        return [e for e in self.entries if e.kind == kind]

    def _entry_hours(self, kind: str) -> Decimal:
        return sum((e.hours for e in self.entries_of(kind)), ZERO)

    @property
    def elsewhere_hours(self) -> Decimal:
        return self._entry_hours(PracticeEntry.Kind.PRACTICE)

    @property
    def peer_hours(self) -> Decimal:
        return sum((m.hours for m in self.peer_meetings), ZERO)

    @property
    def training_hours(self) -> Decimal:
        return sum((d.hours for d in self.training_days), ZERO)

    # The totals an accrediting body asks for
    @property
    def facilitation_hours(self) -> Decimal:
        return self.revans_hours + self.elsewhere_hours

    @property
    def supervision_hours(self) -> Decimal:
        """Supervision recorded, and the meetings of their facilitators' peer sets."""
        return self._entry_hours(PracticeEntry.Kind.SUPERVISION) + self.peer_hours

    @property
    def cpd_hours(self) -> Decimal:
        """CPD recorded, and the training days they came to."""
        return self._entry_hours(PracticeEntry.Kind.CPD) + self.training_hours

    @property
    def is_empty(self) -> bool:
        return not (
            self.facilitated
            or self.observations
            or self.peer_meetings
            or self.training_days
            or self.entries
        )

    def summary(self) -> list[tuple[str, str]]:
        """The headline figures, as the page and the files show them."""
        return [
            ("Facilitation hours", hours(self.facilitation_hours)),
            ("Supervision hours", hours(self.supervision_hours)),
            ("CPD hours", hours(self.cpd_hours)),
            ("Sets facilitated in Revans", str(self.sets_facilitated)),
            ("Meetings facilitated in Revans", str(self.meetings_facilitated)),
            ("Hours facilitated in Revans", hours(self.revans_hours)),
            ("Co-facilitated meetings", str(self.co_facilitated)),
            ("Hours facilitated elsewhere", hours(self.elsewhere_hours)),
            ("Sessions of yours observed", str(self.observed)),
            ("Sessions you observed", str(self.observing)),
            ("Peer-set meetings", str(len(self.peer_meetings))),
            ("Training days", str(len(self.training_days))),
        ]

    def lines(self) -> list[RecordLine]:
        """Every line of the record, oldest first."""
        lines = [
            RecordLine(
                m.on,
                FACILITATION,
                f"Meeting {m.number}" + (", co-facilitated" if m.co_facilitated else ""),
                m.set_name,
                m.programme,
                m.hours,
            )
            for m in self.facilitated
        ]
        lines += [
            RecordLine(m.on, PEER_SET, f"Meeting {m.number}", m.set_name, m.programme, m.hours)
            for m in self.peer_meetings
        ]
        lines += [
            RecordLine(
                o.on,
                OBSERVED,
                o.what,
                o.set_name,
                o.programme,
                None,
                "Feedback written" if o.feedback_written else "Feedback not written yet",
            )
            for o in self.observations
        ]
        lines += [
            RecordLine(d.on, TRAINING_DAY, d.title, "", d.programme, d.hours)
            for d in self.training_days
        ]
        for e in self.entries:
            kind = e.get_kind_display()
            if e.kind == PracticeEntry.Kind.CPD:
                what, where = e.title, ""
            elif e.kind == PracticeEntry.Kind.SUPERVISION:
                what, where = f"With {e.title}", ""
            else:
                what, where = "Facilitation", e.title
            lines.append(RecordLine(e.on, kind, what, where, "", e.hours, e.note))
        lines.sort(key=lambda line: line.on)
        return lines


def hours(value: Decimal) -> str:
    """Hours as people write them: 1.5, 2, 0.75."""
    text = f"{value.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def profile_line(user: User) -> str:
    """Trained or qualified (the qualification and its date), internal or external."""
    return " · ".join(profile_parts(user))


def profile_parts(user: User) -> list[str]:
    parts = []
    if user.facilitator_training == FacilitatorTraining.QUALIFIED:
        qualified = "Qualified facilitator"
        if user.qualification:
            qualified += f": {user.qualification}"
        if user.qualified_on:
            qualified += f", {user.qualified_on.day} {user.qualified_on:%B %Y}"
        parts.append(qualified)
    elif user.facilitator_training == FacilitatorTraining.TRAINED:
        parts.append("Trained facilitator")
    if user.facilitator_basis:
        parts.append(f"{user.get_facilitator_basis_display()} facilitator".capitalize())
    return parts


def _dated(queryset: QuerySet, field: str, start: date | None, end: date | None) -> QuerySet:
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset


def _meeting_date(meeting: Meeting) -> date:
    return timezone.localdate(meeting.starts_at)


def _programme_name(meeting: Meeting) -> str:
    programme = meeting.set.programme  # read with the meeting (select_related)
    return programme.name if programme is not None else ""


Interval = tuple[datetime | None, datetime]


def _former_facilitation(user: User) -> dict[int, list[Interval]]:
    """The sets ``user`` facilitated and then left or stopped facilitating, each with the times
    they facilitated it (from the record of membership changes; None: from before the record)."""
    changes = (
        MembershipChange.objects.filter(person=user)
        .order_by("at", "pk")
        .values_list("set_id", "kind", "role", "old_role", "at")
    )
    since: dict[int, datetime | None] = {}
    former: dict[int, list[Interval]] = {}
    for set_id, kind, role, old_role, at in changes:
        if kind == MembershipChange.Kind.JOINED and role == Role.FACILITATOR:
            since[set_id] = at
        elif kind == MembershipChange.Kind.ROLE and role == Role.FACILITATOR:
            if old_role != Role.FACILITATOR:
                since[set_id] = at
        elif (kind == MembershipChange.Kind.ROLE and old_role == Role.FACILITATOR) or (
            kind in (MembershipChange.Kind.LEFT, MembershipChange.Kind.REMOVED)
            and role == Role.FACILITATOR
        ):
            former.setdefault(set_id, []).append((since.pop(set_id, None), at))
    return former


def _counts(meeting: Meeting, former: dict[int, list[Interval]]) -> bool:
    """Whether a meeting of a set they facilitate or facilitated is theirs: not one the set ran
    without them unless they came, and, in a set they left, one held while they facilitated."""
    runs_without = not meeting.facilitated or meeting.set.self_facilitated
    if runs_without and not getattr(meeting, "came", False):
        return False
    if getattr(meeting, "facilitating", False):
        return True
    return any(
        (start is None or start <= meeting.starts_at) and meeting.starts_at < end
        for start, end in former.get(meeting.set_id, ())
    )


def practice_record(
    user: User, start: date | None = None, end: date | None = None
) -> PracticeRecord:
    """``user``'s practice record, from ``start`` to ``end`` (either open), in six queries."""
    closed = _dated(
        Meeting.objects.filter(status=Meeting.Status.CLOSED), "starts_at__date", start, end
    ).select_related("set", "set__programme")
    # Only what the record shows: nothing said in the meeting is read.
    fields = (
        "pk",
        "number",
        "starts_at",
        "duration_minutes",
        "set__name",
        "set__programme_id",
        "set__programme__name",
    )
    facilitates = Membership.objects.filter(user=user, role=Role.FACILITATOR).values("set_id")
    present = Attendance.objects.filter(
        meeting=OuterRef("pk"), user=user, status=Attendance.Status.PRESENT
    )
    facilitators = (
        Membership.objects.filter(set=OuterRef("set_id"), role=Role.FACILITATOR)
        .order_by()
        .values("set")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The sets they facilitate now count whole; those they facilitated and have since left
    # (or stopped facilitating) count for the time they facilitated them.
    former = _former_facilitation(user)
    candidates = (
        closed.filter(Q(set__in=facilitates) | Q(set__in=list(former)))
        # A meeting the set ran without them counts only if they came to it all the same.
        .filter(~run_without(user) | Exists(present))
        .annotate(
            facilitators=Coalesce(Subquery(facilitators), 0),
            facilitating=Exists(facilitates.filter(set_id=OuterRef("set_id"))),
            came=Exists(present),
        )
        .only(*fields, "facilitated", "set__self_facilitated")
        .order_by("starts_at", "pk")
    )
    counted = [m for m in candidates if _counts(m, former)]
    facilitated = [
        MeetingLine(
            _meeting_date(m),
            m.number,
            m.set.name,
            _programme_name(m),
            _hours(m.duration_minutes),
            co_facilitated=getattr(m, "facilitators", 0) >= 2,
        )
        for m in counted
    ]
    # Their facilitators' peer sets' meetings they came to, but not those they facilitated.
    counted_ids = {m.pk for m in counted}
    peer_meetings = [
        MeetingLine(
            _meeting_date(m), m.number, m.set.name, _programme_name(m), _hours(m.duration_minutes)
        )
        for m in closed.filter(set__peer_set=True)
        .filter(Exists(present))
        .only(*fields)
        .order_by("starts_at", "pk")
        if m.pk not in counted_ids
    ]
    observed = (
        _dated(
            Observation.objects.filter(Q(trainee=user) | Q(observer=user)),
            "meeting__starts_at__date",
            start,
            end,
        )
        .filter(meeting__status=Meeting.Status.CLOSED)
        .select_related("meeting__set__programme", "trainee", "observer")
        .only(
            "trainee_id",
            "observer_id",
            "written_at",
            "meeting__starts_at",
            "meeting__set__name",
            "meeting__set__programme_id",
            "meeting__set__programme__name",
            "trainee__display_name",
            "observer__display_name",
        )
        .order_by("meeting__starts_at", "pk")
    )
    observations = [
        ObservationLine(
            _meeting_date(o.meeting),
            o.meeting.set.name,
            _programme_name(o.meeting),
            of_them=o.trainee_id == user.pk,
            other=str(o.observer if o.trainee_id == user.pk else o.trainee),
            feedback_written=o.written,
        )
        for o in observed
    ]
    days = (
        _dated(
            DayAttendance.objects.filter(user=user, status=DayAttendance.Status.PRESENT),
            "day__starts_at__date",
            start,
            end,
        )
        .select_related("day__programme")
        .only("day__title", "day__starts_at", "day__hours", "day__programme__name")
        .order_by("day__starts_at", "pk")
    )
    training_days = [
        DayLine(timezone.localdate(a.day.starts_at), a.day.title, a.day.programme.name, a.day.hours)
        for a in days
    ]
    entries = list(_dated(PracticeEntry.objects.visible_to(user), "on", start, end))
    return PracticeRecord(
        user, start, end, facilitated, observations, peer_meetings, training_days, entries
    )
