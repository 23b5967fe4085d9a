"""What retention deletes from a closed set's meetings (``programmes.retention`` decides when).

What was said live goes: the room's record (every ``RoomEvent``, whose payloads carry the
words), who was connected (``RoomPresence``), the questions' words, the taster's practice
questions and proposed rules, canvases, process review notes, bids' headlines, and the same
words where the summary copied them. Rows stay with their words emptied, so every count still
reads: questions keep their presenter, asker, label and "powerful" mark (the summaries' counts,
the question mix and the questioning insight do not change), canvases their kind, review notes
whether they were a change. What is not the room's stays: attendance, the members' issues and
actions (their own work, on their own pages) and the set's ground rules, and everyone's own
learning log, a separate app this never touches (architecture.md §4)."""

from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from .insight import label_of
from .models import (
    Bid,
    Meeting,
    PracticeQuestion,
    Question,
    ReviewNote,
    RoomEvent,
    RoomPresence,
    RuleProposal,
    Technique,
)
from .room.techniques import new_canvas

BATCH = 500  # rows read into memory at once, whatever the size of the set's record


@dataclass
class Purged:
    """How many rows of each kind lost their words (events and presences: were deleted)."""

    events: int = 0
    presences: int = 0
    questions: int = 0
    practice_questions: int = 0
    proposed_rules: int = 0
    review_notes: int = 0
    canvases: int = 0
    headlines: int = 0
    summaries: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def held_content(meetings: QuerySet[Meeting]) -> Purged:
    """What ``purge`` would delete from ``meetings`` now (for ``--dry-run``): counts only."""
    return Purged(
        events=RoomEvent.objects.filter(meeting__in=meetings).count(),
        presences=RoomPresence.objects.filter(meeting__in=meetings).count(),
        questions=Question.objects.filter(meeting__in=meetings).exclude(text="").count(),
        practice_questions=PracticeQuestion.objects.filter(meeting__in=meetings)
        .exclude(text="")
        .count(),
        proposed_rules=RuleProposal.objects.filter(meeting__in=meetings).exclude(text="").count(),
        review_notes=ReviewNote.objects.filter(meeting__in=meetings).exclude(text="").count(),
        canvases=Technique.objects.filter(meeting__in=meetings).exclude(data=new_canvas()).count(),
        headlines=Bid.objects.filter(meeting__in=meetings).exclude(headline="").count(),
        summaries=meetings.exclude(summary=None).count(),
    )


def purge(meetings: QuerySet[Meeting], on: datetime) -> Purged:
    """Deletes what was said in ``meetings``, inside the caller's transaction. Each kind of row
    is changed by one statement that reads nothing into memory (the events are deleted by
    one ``DELETE``, however many there are); only questions from before the coach labelled
    them, and the summaries, are read, ``BATCH`` at a time. Running it again changes nothing."""
    _keep_labels(meetings)
    purged = Purged(
        # No signal listens to these models and nothing points at them: Django deletes them
        # with one statement, without loading them.
        events=RoomEvent.objects.filter(meeting__in=meetings).delete()[0],
        presences=RoomPresence.objects.filter(meeting__in=meetings).delete()[0],
        questions=_empty(Question.objects.filter(meeting__in=meetings), "text"),
        practice_questions=_empty(PracticeQuestion.objects.filter(meeting__in=meetings), "text"),
        proposed_rules=_empty(RuleProposal.objects.filter(meeting__in=meetings), "text"),
        review_notes=_empty(ReviewNote.objects.filter(meeting__in=meetings), "text"),
        canvases=Technique.objects.filter(meeting__in=meetings)
        .exclude(data=new_canvas())
        .update(data=new_canvas()),
        headlines=_empty(Bid.objects.filter(meeting__in=meetings), "headline"),
    )
    purged.summaries = _purge_summaries(meetings, on)
    return purged


def _empty(rows: QuerySet, field: str) -> int:
    return rows.exclude(**{field: ""}).update(**{field: ""})


def _keep_labels(meetings: QuerySet[Meeting]) -> None:
    """A question asked before the coach labelled questions in the room is labelled from its
    words whenever it is counted (``insight.label_of``): store that label before the words go."""
    unlabelled = Question.objects.filter(meeting__in=meetings, label="").exclude(text="")
    batch: list[Question] = []
    for question in unlabelled.only("pk", "text").iterator(chunk_size=BATCH):
        question.label = label_of("", question.text)
        batch.append(question)
        if len(batch) == BATCH:
            Question.objects.bulk_update(batch, ["label"])
            batch = []
    if batch:
        Question.objects.bulk_update(batch, ["label"])


def _purge_summaries(meetings: QuerySet[Meeting], on: datetime) -> int:
    """Takes out of each summary the words it copied from the room (the presenters' headlines,
    canvases, process review notes), keeping its counts, attendance, actions and ground rules,
    and marks it with the date (``purged_on``) for the pages and files that show it."""
    changed: list[Meeting] = []
    count = 0
    rows = meetings.exclude(summary=None).only("pk", "summary").order_by("pk")
    for meeting in rows.iterator(chunk_size=BATCH):
        summary = purged_summary(meeting.summary or {}, on)
        if summary != meeting.summary:
            meeting.summary = summary
            changed.append(meeting)
        if len(changed) == BATCH:
            count += Meeting.objects.bulk_update(changed, ["summary"])
            changed = []
    if changed:
        count += Meeting.objects.bulk_update(changed, ["summary"])
    return count


def purged_summary(summary: dict, on: datetime) -> dict:
    """``summary`` without the room's words; the same summary when they are already gone."""
    if summary.get("purged_on"):
        return summary
    return {
        **summary,
        "presenters": [{**p, "headline": ""} for p in summary.get("presenters", [])],
        "review": [],
        "techniques": [],
        "purged_on": on.date().isoformat(),
    }


def purged_on(meeting: Meeting) -> date | None:
    """The day what was said in ``meeting`` was deleted, for the pages and files that show it:
    from its summary, or, for a meeting without one, from its set (a meeting held before the
    set's content was deleted; a reopened set's later meetings keep theirs)."""
    if meeting.summary and meeting.summary.get("purged_on"):
        return date.fromisoformat(meeting.summary["purged_on"])
    purged_at = meeting.set.content_purged_at
    if purged_at is not None and meeting.starts_at < purged_at:
        return timezone.localdate(purged_at)
    return None
