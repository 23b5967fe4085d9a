"""The one computation of survey and pulse figures: every page, chart and export that shows them
(the programme dashboard, the facilitator's view, the sponsor reports) reads them from here.

**The n ≥ 5 rule lives here** (architecture.md §4): a figure drawn from fewer than five people is
withheld, given as ``WITHHELD`` ("fewer than 5 answered") and never as a number, not even its
count; nothing here is ever per person. Callers check who may see a programme's or a set's
figures (``access.py``); the answers themselves never leave this module.

- ``programme_figures(programme)``: the programme's figures, every set together.
- ``set_figures(set_)``: one set's figures.
- ``figures_by_set(programme)``: each of the programme's sets, from the same single read.

Each gives ``Figures``: per question of the start survey, the end survey (with "would you
recommend") and the pulse, the number who answered, the mean and the distribution over 1–5; the
start-to-end change on every benefit with the number who answered both; pulse means per meeting
(a set) or per month (a programme); and the "what did you value most" answers their authors
agreed to share, as themes, never attributed.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from revans.meetings.models import Meeting
from revans.programmes.models import Programme
from revans.sets.models import Set

from .models import Answer, ProgrammeQuestion, Survey
from .questions import SCALE, Question, shipped

MIN_PEOPLE = 5
WITHHELD = f"fewer than {MIN_PEOPLE} answered"
VALUE_MOST = "value_most"


@dataclass(frozen=True)
class ScaleFigure:
    """One scale question: how many people answered, the mean and how many chose each point.
    Withheld (every number None) when fewer than five people answered."""

    question: Question
    answered: int | None  # people
    answers: int | None  # answers: more than people for pulses over several meetings
    mean: float | None
    distribution: tuple[int, ...] | None  # how many answers at 1, 2, 3, 4, 5

    @property
    def withheld(self) -> bool:
        return self.answered is None

    @property
    def shown(self) -> str:
        """The mean as the pages show it, or the words of the rule."""
        return WITHHELD if self.mean is None else f"{self.mean:.1f}"


@dataclass(frozen=True)
class ChangeFigure:
    """Start to end on one benefit, over the people who answered it in both surveys."""

    question: Question
    answered_both: int | None
    start_mean: float | None
    end_mean: float | None
    change: float | None

    @property
    def withheld(self) -> bool:
        return self.answered_both is None

    @property
    def shown(self) -> str:
        return WITHHELD if self.change is None else f"{self.change:+.1f}"


@dataclass(frozen=True)
class PulsePoint:
    """The pulse at one point in time: one meeting of a set, or one month of a programme."""

    label: str
    on: date
    meeting_id: int | None  # a set's meeting; None for a programme's month
    figures: tuple[ScaleFigure, ...]


@dataclass(frozen=True)
class Themes:
    """What members valued most, in the words of those who agreed to share them, in no
    particular order (sorted, so never in the order people answered). Withheld unless at least
    five people answered the end survey's "what did you value most"."""

    shared: tuple[str, ...] | None

    @property
    def withheld(self) -> bool:
        return self.shared is None


@dataclass(frozen=True)
class Figures:
    start: tuple[ScaleFigure, ...]
    end: tuple[ScaleFigure, ...]  # the self-assessment again, then "would you recommend"
    change: tuple[ChangeFigure, ...]
    pulse: tuple[ScaleFigure, ...]  # every meeting together
    pulse_over_time: tuple[PulsePoint, ...]
    themes: Themes


@dataclass(frozen=True, slots=True)
class _Row:
    """One answer as read, with only what the figures need: never shown."""

    set_id: int
    survey: str
    person: int
    question: str
    value: int | None
    text: str
    share: bool
    meeting_id: int | None


@dataclass(frozen=True, slots=True)
class _Meeting:
    number: int
    on: date  # the day it was held, in the local time zone


def _rows(sets: Iterable[int] | None, programme: Programme | None) -> list[_Row]:
    answers = Answer.objects.filter(response__skipped=False)
    if programme is not None:
        answers = answers.filter(response__set__programme=programme)
    if sets is not None:
        answers = answers.filter(response__set_id__in=list(sets))
    fields = (
        "response__set_id",
        "response__survey",
        "response__user_id",
        "question",
        "value",
        "text",
        "response__share_theme",
        "response__meeting_id",
    )
    return [_Row(*values) for values in answers.order_by().values_list(*fields)]


def _meetings(
    rows: list[_Row], sets: Iterable[int] | None, programme: Programme | None
) -> dict[int, _Meeting]:
    """The number and day of every meeting a pulse was answered for: one query, or none when
    there is no pulse. Read apart from the answers, each meeting's date is converted once, not
    once per answer."""
    if not any(row.meeting_id for row in rows):
        return {}
    meetings = Meeting.objects.order_by()
    if programme is not None:
        meetings = meetings.filter(set__programme=programme)
    if sets is not None:
        meetings = meetings.filter(set_id__in=list(sets))
    return {
        pk: _Meeting(number, timezone.localtime(starts_at).date())
        for pk, number, starts_at in meetings.values_list("pk", "number", "starts_at")
    }


def scale_figure(question: Question, answers: list[tuple[int, int]]) -> ScaleFigure:
    """The figure of one question from (person, value) pairs."""
    people = {person for person, _ in answers}
    if len(people) < MIN_PEOPLE:
        return ScaleFigure(question, None, None, None, None)
    values = [value for _, value in answers]
    return ScaleFigure(
        question,
        answered=len(people),
        answers=len(values),
        mean=round(sum(values) / len(values), 2),
        distribution=tuple(values.count(point) for point in SCALE),
    )


def change_figure(question: Question, start: dict[int, int], end: dict[int, int]) -> ChangeFigure:
    """Start to end from each person's answer in each survey (person → value)."""
    both = sorted(set(start) & set(end))
    if len(both) < MIN_PEOPLE:
        return ChangeFigure(question, None, None, None, None)
    start_mean = sum(start[p] for p in both) / len(both)
    end_mean = sum(end[p] for p in both) / len(both)
    return ChangeFigure(
        question,
        answered_both=len(both),
        start_mean=round(start_mean, 2),
        end_mean=round(end_mean, 2),
        change=round(end_mean - start_mean, 2),
    )


def _scales(questions: tuple[Question, ...], rows: list[_Row]) -> tuple[ScaleFigure, ...]:
    """The figure of each scale question from the rows of one survey."""
    by_question: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        if row.value is not None:
            by_question[row.question].append((row.person, row.value))
    return tuple(scale_figure(q, by_question[q.key]) for q in questions if q.is_scale)


def _figures(
    rows: list[_Row],
    own: tuple[Question, ...],
    meetings: dict[int, _Meeting],
    by_meeting: bool,
) -> Figures:
    data = shipped()
    surveyed = data.self_assessment + own
    benefits = tuple(q for q in surveyed if q.benefit)
    of: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        of[row.survey].append(row)
    per_survey: dict[str, dict[str, dict[int, int]]] = {
        Survey.START: defaultdict(dict),
        Survey.END: defaultdict(dict),
    }
    for survey, values in per_survey.items():
        for row in of[survey]:
            if row.value is not None:
                values[row.question][row.person] = row.value
    change = tuple(
        change_figure(q, per_survey[Survey.START][q.key], per_survey[Survey.END][q.key])
        for q in benefits
    )
    pulses = of[Survey.PULSE]
    points: dict[Any, list[_Row]] = defaultdict(list)
    for row in pulses:
        assert row.meeting_id is not None
        held = meetings[row.meeting_id]
        points[(row.meeting_id, held.on) if by_meeting else held.on.replace(day=1)].append(row)
    over_time = []
    for key in sorted(points, key=lambda k: k[1] if by_meeting else k):
        group = points[key]
        if by_meeting:
            number = meetings[key[0]].number
            label, on, meeting_id = f"Meeting {number}", key[1], key[0]
        else:
            label, on, meeting_id = key.strftime("%b %Y"), key, None
        over_time.append(PulsePoint(label, on, meeting_id, _scales(data.pulse, group)))
    valued = [r for r in of[Survey.END] if r.question == VALUE_MOST and r.text]
    themes = Themes(
        tuple(sorted(r.text for r in valued if r.share))
        if len({r.person for r in valued}) >= MIN_PEOPLE
        else None
    )
    return Figures(
        start=_scales(surveyed, of[Survey.START]),
        end=_scales(surveyed + data.ending, of[Survey.END]),
        change=change,
        pulse=_scales(data.pulse, pulses),
        pulse_over_time=tuple(over_time),
        themes=themes,
    )


def _own_questions(programme: Programme | None) -> tuple[Question, ...]:
    if programme is None:
        return ()
    return tuple(q.as_question() for q in ProgrammeQuestion.objects.filter(programme=programme))


def programme_figures(programme: Programme) -> Figures:
    """Every set of the programme together; pulses per month."""
    rows = _rows(None, programme)
    meetings = _meetings(rows, None, programme)
    return _figures(rows, _own_questions(programme), meetings, by_meeting=False)


def set_figures(set_: Set) -> Figures:
    """One set; pulses per meeting."""
    rows = _rows([set_.pk], None)
    meetings = _meetings(rows, [set_.pk], None)
    return _figures(rows, _own_questions(set_.programme), meetings, by_meeting=True)


def programme_figures_and_set_pulses(
    programme: Programme,
) -> tuple[Figures, dict[int, tuple[ScaleFigure, ...]]]:
    """The programme's figures and the pulse of each of its sets that has one (by id), from one
    read of the answers: what the programme's report shows per set."""
    rows = _rows(None, programme)
    pulses: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        if row.survey == Survey.PULSE:
            pulses[row.set_id].append(row)
    figures = _figures(rows, _own_questions(programme), _meetings(rows, None, programme), False)
    return figures, {pk: _scales(shipped().pulse, found) for pk, found in pulses.items()}


def figures_by_set(programme: Programme) -> dict[int, Figures]:
    """Each of the programme's sets (by id), from one read of the answers; a set nobody has
    answered for has every figure withheld."""
    own = _own_questions(programme)
    rows = _rows(None, programme)
    meetings = _meetings(rows, None, programme)
    rows_by_set: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        rows_by_set[row.set_id].append(row)
    set_ids = programme.sets.values_list("pk", flat=True)
    return {pk: _figures(rows_by_set[pk], own, meetings, by_meeting=True) for pk in set_ids}
