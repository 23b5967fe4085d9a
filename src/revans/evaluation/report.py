"""A programme's evidence, computed once for its dashboard and every report made from it (PDF,
CSV, XLSX): the delivery figures (``delivery.py``) and the survey and pulse figures
(``figures.py``, where the n ≥ 5 rule lives), laid out as the named tables every format writes.

Counts, rates and means only (architecture.md §4): set names, dates and figures; never an issue,
a question, an action's text, a name tied to content, or one person's answer.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from revans.programmes.models import Programme
from revans.sets.models import Set

from .delivery import SLIPPING_ATTENDANCE, Delivery, SetDelivery, delivery_of
from .figures import (
    MIN_PEOPLE,
    WITHHELD,
    Figures,
    ScaleFigure,
    programme_figures_and_set_pulses,
)

METHOD = (
    f"Figures are counts and rates from Revans' own records of the sets' meetings, attendance "
    f"and actions, and means of the members' own answers to the start, end and after-meeting "
    f"surveys (1 = lowest, 5 = highest). Any survey figure drawn from fewer than {MIN_PEOPLE} "
    f"people is withheld, and no figure is ever given per person. Nothing said in a set, no "
    f"issue, question or action, appears in this report. A meeting is held when it closed with "
    f"someone recorded present; missed when it was cancelled, or closed with nobody present. "
    f"Attendance is the people recorded present out of everyone recorded at the meetings held. "
    f"A set is slipping when its attendance at its last three meetings held is under "
    f"{round(SLIPPING_ATTENDANCE * 100)}%, it missed one of its last two meetings, or no action "
    f"was reported done or partly done at its last two meetings while actions were open. The "
    f"start-to-end change counts only the people who answered both surveys."
)

Cell = str | int | float | None
RECOMMEND = "recommend"


@dataclass(frozen=True)
class Table:
    """One table of the report, as every format writes it."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def mean(figure: ScaleFigure | None) -> float | str:
    if figure is None or figure.mean is None:
        return WITHHELD
    return round(figure.mean, 1)


def answered(figure: ScaleFigure | None) -> int | str:
    if figure is None or figure.answered is None:
        return WITHHELD
    return figure.answered


@dataclass(frozen=True)
class SetLine:
    delivery: SetDelivery
    useful: ScaleFigure | None  # "How useful was today?" over the set's meetings

    @property
    def useful_shown(self) -> str:
        return (
            WITHHELD
            if self.useful is None or self.useful.mean is None
            else f"{self.useful.mean:.1f}"
        )


@dataclass(frozen=True)
class ProgrammeReport:
    programme: Programme
    made_at: datetime
    delivery: Delivery
    figures: Figures
    sets: tuple[SetLine, ...]

    @property
    def recommend(self) -> ScaleFigure | None:
        """ "Would you recommend action learning to a colleague?", from the end survey."""
        return next((f for f in self.figures.end if f.question.key == RECOMMEND), None)

    @property
    def has_data(self) -> bool:
        """Anything to report: a meeting held or planned, or a survey answered."""
        d = self.delivery
        return bool(
            d.meetings_held
            or d.meetings_planned
            or d.meetings_missed
            or any(not f.withheld for f in self.figures.start + self.figures.end)
            or any(not f.withheld for f in self.figures.pulse)
        )

    def summary(self) -> list[tuple[str, Cell]]:
        d = self.delivery
        return [
            ("Sets", len(d.sets)),
            ("Members", d.members),
            ("Meetings held", d.meetings_held),
            ("Meetings planned", d.meetings_planned),
            ("Meetings missed", d.meetings_missed),
            ("Attendance (%)", percent(d.attendance_rate)),
            ("Actions committed", d.actions_committed),
            ("Actions completed", d.actions_completed),
            ("Actions partly done", d.actions_partly),
            ("Actions completed (%)", percent(d.completion_rate)),
            ("Sets slipping", len(d.slipping)),
        ]

    def tables(self) -> list[Table]:
        """Every table of the report, in order: what the CSV and XLSX hold, and the PDF shows."""
        d = self.delivery
        set_rows = tuple(
            (
                line.delivery.name,
                line.delivery.status_label,
                line.delivery.members,
                line.delivery.meetings_held,
                line.delivery.meetings_planned,
                line.delivery.meetings_missed,
                percent(line.delivery.attendance_rate),
                line.delivery.actions_committed,
                line.delivery.actions_completed,
                line.delivery.actions_partly,
                percent(line.delivery.completion_rate),
                mean(line.useful),
                "; ".join(line.delivery.slipping),
            )
            for line in self.sets
        )
        months = tuple((m.month.strftime("%Y-%m"), m.held, m.missed, m.planned) for m in d.months)
        change = tuple(
            (
                c.question.text,
                WITHHELD if c.start_mean is None else round(c.start_mean, 1),
                WITHHELD if c.end_mean is None else round(c.end_mean, 1),
                WITHHELD if c.change is None else round(c.change, 1),
                WITHHELD if c.answered_both is None else c.answered_both,
            )
            for c in self.figures.change
        )
        surveys = tuple(
            (survey, f.question.text, mean(f), answered(f))
            for survey, figures in (("Start", self.figures.start), ("End", self.figures.end))
            for f in figures
        )
        pulse_questions = [f.question for f in self.figures.pulse]
        pulse = tuple(
            (
                point.label,
                *(value for f in point.figures for value in (mean(f), answered(f))),
            )
            for point in self.figures.pulse_over_time
        )
        pulse_header = (
            "Month",
            *(f"{q.text} ({part})" for q in pulse_questions for part in ("mean", "answered")),
        )
        themes = self.figures.themes
        theme_rows: tuple[tuple[Cell, ...], ...] = (
            ((WITHHELD,),) if themes.shared is None else tuple((t,) for t in themes.shared)
        )
        return [
            Table("Summary", ("Figure", "Value"), tuple(self.summary())),
            Table(
                "Sets",
                (
                    "Set",
                    "Status",
                    "Members",
                    "Meetings held",
                    "Meetings planned",
                    "Meetings missed",
                    "Attendance (%)",
                    "Actions committed",
                    "Actions completed",
                    "Actions partly done",
                    "Actions completed (%)",
                    "How useful (mean, 1–5)",
                    "Slipping",
                ),
                set_rows,
            ),
            Table("Meetings by month", ("Month", "Held", "Missed", "Planned"), months),
            Table(
                "Start to end",
                ("Benefit", "Start (mean)", "End (mean)", "Change", "Answered both"),
                change,
            ),
            Table("Surveys", ("Survey", "Question", "Mean (1–5)", "Answered"), surveys),
            Table("Pulse by month", pulse_header, pulse),
            Table("What members valued most (shared as themes)", ("Theme",), theme_rows),
        ]


def programme_report(programme: Programme) -> ProgrammeReport:
    """The report of ``programme`` (its manager's, checked by the caller), computed now from
    one consistent reading of the database: a fixed number of queries however many sets it
    has."""
    with consistent_reading():
        sets = list(Set.objects.filter(programme=programme).only("name", "status"))
        delivery = delivery_of(sets)
        figures, pulses = programme_figures_and_set_pulses(programme)
    # A set's "How useful was today?": its first pulse question (None: nobody answered one).
    lines = tuple(
        SetLine(line, pulses[line.set_id][0] if line.set_id in pulses else None)
        for line in delivery.sets
    )
    return ProgrammeReport(
        programme=programme,
        made_at=timezone.now(),
        delivery=delivery,
        figures=figures,
        sets=lines,
    )


@contextmanager
def consistent_reading() -> Iterator[None]:
    """One transaction whose queries all read the database as it was at its first: a report
    made while meetings close or answers arrive still adds up. SQLite gives that to any
    transaction; PostgreSQL's default (read committed) does not, so it is asked for."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _key(programme: Programme, *parts: object) -> str:
    # The programme's creation time tells apart two programmes that reuse an id (a test
    # database, a restored backup).
    return ":".join(
        str(p) for p in ("evidence", programme.pk, programme.created_at.timestamp(), *parts)
    )


def current_report(programme: Programme, *, refresh: bool = False) -> ProgrammeReport:
    """The report the dashboard and every file show: made at most ``EVIDENCE_SECONDS`` ago
    (then kept in the cache, so that a programme of 500 sets opens as fast as one of three),
    or made now when ``refresh`` is asked for. The programme itself is always the current one."""
    key = _key(programme)
    report = None if refresh else cache.get(key)
    if report is None:
        report = programme_report(programme)
        if settings.EVIDENCE_SECONDS:
            cache.set(key, report, settings.EVIDENCE_SECONDS)
        return report
    return replace(report, programme=programme)


def report_file(
    report: ProgrammeReport, kind: str, write: Callable[[ProgrammeReport], bytes]
) -> bytes:
    """The file ``write`` makes of ``report``, kept as long as the report: the same figures
    always give the same file, and a PDF of 500 sets is written once."""
    key = _key(report.programme, report.made_at.timestamp(), kind)
    content = cache.get(key)
    if content is None:
        content = write(report)
        if settings.EVIDENCE_SECONDS:
            cache.set(key, content, settings.EVIDENCE_SECONDS)
    return content
