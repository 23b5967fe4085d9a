"""Questioning insight: how open a set's questions are, meeting by meeting (the Q of Revans's
L = P + Q).

Counts only: nothing here puts a coach's label beside an asker's name. The set's series is for
the people in the set; a person's own series is built for that person alone (the view passes the
viewer's id); a programme's managers get one figure per set (``open_share_by_set``), never a
question's text.

Everything is read in a fixed number of queries, however many meetings a set has had; the rest
is plain Python over the rows (``build``), tested without a request.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from revans.coach import classify

from .models import Meeting, Question

# The labels the open share is taken over. A statement (something said, not asked) is counted
# as captured but left out of the share: it is neither an open nor a closed question.
SHARE_LABELS = ("open", "closed", "leading", "advice")
# A programme manager's figure for a set needs this many questions, so that it describes the
# set's habit rather than the one or two questions of a meeting.
MANAGER_MIN_QUESTIONS = 5
LABEL_NAMES = {
    "open": "Open",
    "closed": "Closed",
    "leading": "Leading",
    "advice": "Advice",
    "statement": "Not a question",
}


def label_of(label: str, text: str) -> str:
    """The label stored when the question was captured, or, for a question asked before the
    coach labelled questions in the room, the coach's label now.

    Labelled on the fly, not saved: reading a page writes nothing, and these older questions
    follow the coach as it improves. The coach is pure Python and takes a fraction of a
    millisecond a question; only questions from before the coach have no label."""
    return label or classify(text).label


@dataclass
class Mix:
    """How many questions of each kind, and the share that were open."""

    open: int = 0
    closed: int = 0
    leading: int = 0
    advice: int = 0
    statement: int = 0

    @classmethod
    def of(cls, labels: Iterable[str]) -> "Mix":
        mix = cls()
        for label in labels:
            mix.add(label)
        return mix

    def add(self, label: str) -> None:
        # A label the coach may add one day is counted as captured, outside the share.
        name = label if label in SHARE_LABELS else "statement"
        setattr(self, name, getattr(self, name) + 1)

    @property
    def counted(self) -> int:
        """The questions the open share is taken over (statements aside)."""
        return self.open + self.closed + self.leading + self.advice

    @property
    def asked(self) -> int:
        """Everything captured, statements included."""
        return self.counted + self.statement

    @property
    def open_share(self) -> int | None:
        """Open questions as a whole percentage of ``counted``, halves rounded up (5 of 8 is
        63%, as people round); None when there are none."""
        if not self.counted:
            return None
        return (200 * self.open + self.counted) // (2 * self.counted)

    def as_dict(self) -> dict:
        """For a meeting's summary (JSON, kept with the meeting)."""
        return {
            **{label: getattr(self, label) for label in SHARE_LABELS},
            "statement": self.statement,
            "asked": self.asked,
            "counted": self.counted,
            "open_share": self.open_share,
        }


@dataclass
class Point:
    """One meeting's mix: the set's, or one person's."""

    meeting: Meeting
    mix: Mix
    set_share: int | None = None  # on a person's own points: the set's share at that meeting


@dataclass
class Asked:
    """A question with its meeting: a powerful example (no asker), or one of the viewer's own."""

    text: str
    meeting: Meeting
    label: str = ""

    @property
    def label_name(self) -> str:
        return LABEL_NAMES.get(self.label, LABEL_NAMES["statement"])


@dataclass
class Insight:
    """A set's questioning over its past meetings, as one person in the set sees it."""

    points: list[Point] = field(default_factory=list)
    mine: list[Point] = field(default_factory=list)
    my_questions: list[Asked] = field(default_factory=list)
    powerful: list[Asked] = field(default_factory=list)

    @property
    def total(self) -> Mix:
        return _sum(p.mix for p in self.points)

    @property
    def my_total(self) -> Mix:
        return _sum(p.mix for p in self.mine)

    @property
    def asked_points(self) -> list[Point]:
        """The meetings at which any question was captured (rows for the set's table)."""
        return [p for p in self.points if p.mix.asked]

    @property
    def my_points(self) -> list[Point]:
        """The meetings at which the viewer asked (rows for their own table)."""
        return [p for p in self.mine if p.mix.asked]


def _sum(mixes: Iterable[Mix]) -> Mix:
    total = Mix()
    for mix in mixes:
        for name in (*SHARE_LABELS, "statement"):
            setattr(total, name, getattr(total, name) + getattr(mix, name))
    return total


def is_over(meeting: Meeting, now: datetime | None = None) -> bool:
    """Closed, or past its planned end (a meeting left open closes itself soon after)."""
    if meeting.status == Meeting.Status.CANCELLED:
        return False
    return meeting.status == Meeting.Status.CLOSED or meeting.ends_at <= (now or timezone.now())


def past_meetings(set_) -> list[Meeting]:
    """The set's meetings that are over, oldest first (one query)."""
    now = timezone.now()
    return [m for m in Meeting.objects.filter(set=set_).order_by("starts_at") if is_over(m, now)]


# (meeting id, asker id, label, text, powerful): what ``build`` needs of a question.
ROW_FIELDS = ("meeting_id", "asker_id", "label", "text", "powerful")


def build(meetings: list[Meeting], rows: Iterable[tuple], person_id: int | None) -> Insight:
    """The insight from the meetings (oldest first) and their questions' rows (``ROW_FIELDS``).

    ``person_id``'s own series counts only the questions they asked themselves."""
    by_meeting = {m.pk: m for m in meetings}
    mixes = {m.pk: Mix() for m in meetings}
    my_mixes = {m.pk: Mix() for m in meetings}
    insight = Insight()
    for meeting_id, asker_id, label, text, powerful in rows:
        meeting = by_meeting.get(meeting_id)
        if meeting is None:
            continue  # a meeting still to come, or under way: its mix comes when it is over
        label = label_of(label, text)
        mixes[meeting_id].add(label)
        # A question whose words were deleted (retention, ``purge``) still counts.
        if person_id is not None and asker_id == person_id:
            my_mixes[meeting_id].add(label)
            if text:
                insight.my_questions.append(Asked(text, meeting, label))
        if powerful and text:
            insight.powerful.append(Asked(text, meeting))
    insight.points = [Point(m, mixes[m.pk]) for m in meetings]
    insight.mine = [Point(m, my_mixes[m.pk], mixes[m.pk].open_share) for m in meetings]
    # The newest examples first: they speak of the set as it is now.
    insight.powerful.sort(key=lambda a: a.meeting.starts_at, reverse=True)
    return insight


def for_set(set_, user) -> Insight:
    """The set's insight as ``user`` sees it: two queries, whatever the number of meetings.

    The questions are read through ``Question.objects.visible_to``: someone outside the set
    gets an empty insight even if a view forgot to check."""
    meetings = past_meetings(set_)
    rows = (
        Question.objects.visible_to(user)
        .filter(meeting__in=[m.pk for m in meetings])
        .order_by("meeting__starts_at", "created_at", "pk")
        .values_list(*ROW_FIELDS)
    )
    return build(meetings, rows, user.pk)


def meeting_mix(questions) -> Mix:
    """The mix of a queryset of questions (one meeting's, for its summary): one query."""
    return Mix.of(label_of(label, text) for label, text in questions.values_list("label", "text"))


def open_share_by_set(set_ids: Iterable[int]) -> dict[int, Mix]:
    """Each set's mix over its past meetings, for a programme's managers: counts only, and only
    for sets with ``MANAGER_MIN_QUESTIONS`` or more questions. One query for any number of
    sets; the question text is read only to label old questions and never leaves here."""
    now = timezone.now()
    mixes: dict[int, Mix] = {}
    rows = Question.objects.filter(meeting__set_id__in=list(set_ids)).values_list(
        "meeting__set_id",
        "meeting__status",
        "meeting__starts_at",
        "meeting__duration_minutes",
        "label",
        "text",
    )
    for set_id, status, starts_at, minutes, label, text in rows:
        # As is_over(), from the meeting's columns rather than the meeting.
        if status == Meeting.Status.CANCELLED:
            continue
        if status != Meeting.Status.CLOSED and starts_at + timedelta(minutes=minutes) > now:
            continue
        mixes.setdefault(set_id, Mix()).add(label_of(label, text))
    return {set_id: mix for set_id, mix in mixes.items() if mix.counted >= MANAGER_MIN_QUESTIONS}
