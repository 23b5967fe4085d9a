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
from datetime import date, datetime
from typing import Any

from django.utils import timezone

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


@dataclass(frozen=True)
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
    meeting_number: int | None
    meeting_starts: datetime | None


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
        "response__meeting__number",
        "response__meeting__starts_at",
    )
    return [_Row(*values) for values in answers.values_list(*fields)]


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


def _scales(
    questions: tuple[Question, ...], rows: list[_Row], survey: str
) -> tuple[ScaleFigure, ...]:
    by_question: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        if row.survey == survey and row.value is not None:
            by_question[row.question].append((row.person, row.value))
    return tuple(scale_figure(q, by_question[q.key]) for q in questions if q.is_scale)


def _figures(rows: list[_Row], own: tuple[Question, ...], by_meeting: bool) -> Figures:
    data = shipped()
    surveyed = data.self_assessment + own
    benefits = tuple(q for q in surveyed if q.benefit)
    per_survey: dict[str, dict[str, dict[int, int]]] = {
        Survey.START: defaultdict(dict),
        Survey.END: defaultdict(dict),
    }
    for row in rows:
        if row.survey in per_survey and row.value is not None:
            per_survey[row.survey][row.question][row.person] = row.value
    change = tuple(
        change_figure(q, per_survey[Survey.START][q.key], per_survey[Survey.END][q.key])
        for q in benefits
    )
    pulses = [row for row in rows if row.survey == Survey.PULSE]
    points: dict[Any, list[_Row]] = defaultdict(list)
    for row in pulses:
        assert row.meeting_starts is not None
        local = timezone.localtime(row.meeting_starts).date()
        points[(row.meeting_id, local) if by_meeting else local.replace(day=1)].append(row)
    over_time = []
    for key in sorted(points, key=lambda k: k[1] if by_meeting else k):
        group = points[key]
        if by_meeting:
            label, on, meeting_id = f"Meeting {group[0].meeting_number}", key[1], key[0]
        else:
            label, on, meeting_id = key.strftime("%b %Y"), key, None
        over_time.append(
            PulsePoint(label, on, meeting_id, _scales(data.pulse, group, Survey.PULSE))
        )
    valued = [r for r in rows if r.survey == Survey.END and r.question == VALUE_MOST and r.text]
    themes = Themes(
        tuple(sorted(r.text for r in valued if r.share))
        if len({r.person for r in valued}) >= MIN_PEOPLE
        else None
    )
    return Figures(
        start=_scales(surveyed, rows, Survey.START),
        end=_scales(surveyed + data.ending, rows, Survey.END),
        change=change,
        pulse=_scales(data.pulse, pulses, Survey.PULSE),
        pulse_over_time=tuple(over_time),
        themes=themes,
    )


def _own_questions(programme: Programme | None) -> tuple[Question, ...]:
    if programme is None:
        return ()
    return tuple(q.as_question() for q in ProgrammeQuestion.objects.filter(programme=programme))


def programme_figures(programme: Programme) -> Figures:
    """Every set of the programme together; pulses per month."""
    return _figures(_rows(None, programme), _own_questions(programme), by_meeting=False)


def set_figures(set_: Set) -> Figures:
    """One set; pulses per meeting."""
    return _figures(_rows([set_.pk], None), _own_questions(set_.programme), by_meeting=True)


def figures_by_set(programme: Programme) -> dict[int, Figures]:
    """Each of the programme's sets (by id), from one read of the answers; a set nobody has
    answered for has every figure withheld."""
    own = _own_questions(programme)
    rows_by_set: dict[int, list[_Row]] = defaultdict(list)
    for row in _rows(None, programme):
        rows_by_set[row.set_id].append(row)
    set_ids = programme.sets.values_list("pk", flat=True)
    return {pk: _figures(rows_by_set[pk], own, by_meeting=True) for pk in set_ids}
