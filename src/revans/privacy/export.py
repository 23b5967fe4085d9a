"""A person's own data, as a ZIP: one JSON file per part of Revans and a readable ``index.html``.

Each part is read deliberately, by the function of the app that holds it, and holds what the
person wrote or is recorded in, never somebody else's words (architecture.md §4): not the
questions others asked them, not other members' notes, not the e-mail addresses of the people
they shared a log with. Fellow members are left out by name; sets and programmes are named.

Everything is read in one snapshot (``one_snapshot``), so an edit made while the file is built is
either wholly in it or wholly out of it. The ZIP is written to a temporary file, the log
attachments copied into it a block at a time, so a large log never sits in memory.
"""

import io
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile

from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from revans.accounts.models import User
from revans.actions.models import Action
from revans.development.models import (
    DayAttendance,
    Evidence,
    Observation,
    Participant,
    PracticeEntry,
    SignOff,
)
from revans.evaluation.models import Response
from revans.evaluation.questions import shipped as survey_questions
from revans.journal.models import Attachment, Comment, Log, Share, Submission
from revans.meetings.models import (
    Attendance,
    Bid,
    Meeting,
    PracticeQuestion,
    Question,
    ReviewNote,
    RuleProposal,
)
from revans.polls.models import Answer as PollAnswer
from revans.polls.models import Poll
from revans.programmes.models import JoinRequest, Programme
from revans.sets.models import Expectations, GroundRulesAgreement, Issue, Membership
from revans.sets.questions import shipped as issue_questions

Data = dict[str, Any]


@contextmanager
def one_snapshot() -> Iterator[None]:
    """Every read inside sees the database as it was at the first one.

    PostgreSQL: a read-only transaction at REPEATABLE READ. SQLite (WAL): a deferred
    transaction, which reads one snapshot and, unlike Django's IMMEDIATE ones, holds no write
    lock, so the person (and everyone else) may go on writing while a large file is built.
    Inside a transaction already (a test's), the reads share it.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _meeting(meeting: Meeting | None) -> Data | None:
    """A meeting as the person's records name it: its set, number and date."""
    if meeting is None:
        return None
    return {
        "set": meeting.set.name,
        "number": meeting.number,
        "starts_at": _when(meeting.starts_at),
    }


# --- one function per part of Revans ---------------------------------------------------------


def profile(user: User) -> Data:
    """accounts: the profile as the person filled it in (not the secret of their calendar
    feed, nor who their line manager is: another person)."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "organisation": user.organisation.name if user.organisation else None,
        "job_title": user.job_title,
        "time_zone": user.time_zone,
        "reminders": user.reminders,
        "facilitator_training": user.get_facilitator_training_display(),
        "qualification": user.qualification,
        "qualified_on": _when(user.qualified_on),
        "facilitator_basis": user.get_facilitator_basis_display(),
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
    }


def memberships(user: User) -> Data:
    """sets: the sets the person is in, with their role, and the ground rules they agreed to."""
    rows = Membership.objects.filter(user=user).select_related("set__programme")
    agreements = GroundRulesAgreement.objects.filter(user=user).select_related("ground_rules__set")
    return {
        "memberships": [
            {
                "set": m.set.name,
                "programme": m.set.programme.name if m.set.programme else None,
                "role": m.get_role_display(),
                "joined_at": _when(m.joined_at),
            }
            for m in rows.order_by("joined_at", "pk")
        ],
        "ground_rules_agreed": [
            {
                "set": a.ground_rules.set.name,
                "version": a.ground_rules.version,
                "agreed_at": _when(a.agreed_at),
            }
            for a in agreements.order_by("agreed_at", "pk")
        ],
    }


def _answers(answers: dict[str, Any], question: Callable[[str], Any]) -> list[Data]:
    """Every answer kept, under its question's words where Revans still knows them."""
    found = []
    for key, text in answers.items():
        asked = question(key)
        found.append({"question": asked.text if asked is not None else key, "answer": text})
    return found


def issues(user: User) -> list[Data]:
    """sets: the issues the person brought, with their answers to the guiding questions."""
    return [
        {
            "set": issue.set.name,
            "kind": issue.get_kind_display(),
            "title": issue.title,
            "description": issue.description,
            "why_it_matters": issue.why_it_matters,
            "answers": _answers(issue.answers, issue_questions().issue_question),
            "status": issue.get_status_display(),
            "created_at": _when(issue.created_at),
            "updated_at": _when(issue.updated_at),
        }
        for issue in Issue.objects.filter(owner=user).select_related("set").order_by("pk")
    ]


def expectations(user: User) -> list[Data]:
    """sets: the expectations questionnaires the person answered."""
    return [
        {
            "set": e.set.name,
            "answers": _answers(e.answers, {q.key: q for q in issue_questions().expectations}.get),
            "updated_at": _when(e.updated_at),
        }
        for e in Expectations.objects.filter(user=user).select_related("set").order_by("pk")
    ]


def actions(user: User) -> list[Data]:
    """actions: what the person committed to, and their report-back on each."""
    rows = Action.objects.filter(owner=user).select_related(
        "set", "committed_in__set", "reported_in__set"
    )
    return [
        {
            "set": a.set.name,
            "text": a.text,
            "committed_in": _meeting(a.committed_in),
            "status": a.get_status_display(),
            "report_note": a.report_note,
            "reported_in": _meeting(a.reported_in),
            "created_at": _when(a.created_at),
            "reported_at": _when(a.reported_at),
        }
        for a in rows.order_by("pk")
    ]


def meetings(user: User) -> Data:
    """meetings: the person's attendance, and their own words in meetings: the questions they
    asked (never those asked of them), their bids, notes in process reviews, ground rules they
    proposed and their questions in a practice round."""
    attendance = Attendance.objects.filter(user=user).select_related("meeting__set")
    asked = Question.objects.filter(asker=user).select_related("meeting__set")
    return {
        "attendance": [
            {
                "meeting": _meeting(a.meeting),
                "status": a.get_status_display(),
                "note": a.note,
            }
            for a in attendance.order_by("meeting__starts_at", "pk")
        ],
        "questions_asked": [
            {
                "meeting": _meeting(q.meeting),
                "text": q.text,
                "coach_label": q.label,
                "marked_powerful": q.powerful,
                "asked_at": _when(q.created_at),
            }
            for q in asked.order_by("created_at", "pk")
        ],
        "bids": [
            {"meeting": _meeting(b.meeting), "headline": b.headline}
            for b in Bid.objects.filter(user=user).select_related("meeting__set").order_by("pk")
        ],
        "review_notes": [
            {
                "meeting": _meeting(n.meeting),
                "text": n.text,
                "what_we_change": n.change,
                "written_at": _when(n.created_at),
            }
            for n in ReviewNote.objects.filter(author=user)
            .select_related("meeting__set")
            .order_by("pk")
        ],
        "ground_rules_proposed": [
            {"meeting": _meeting(p.meeting), "text": p.text, "status": p.get_status_display()}
            for p in RuleProposal.objects.filter(author=user)
            .select_related("meeting__set")
            .order_by("pk")
        ],
        "practice_questions": [
            {"meeting": _meeting(p.meeting), "text": p.text, "coach_label": p.label}
            for p in PracticeQuestion.objects.filter(asker=user)
            .select_related("meeting__set")
            .order_by("pk")
        ],
    }


def polls(user: User) -> Data:
    """polls: the person's answers to date polls, and the polls they proposed."""
    answers = PollAnswer.objects.filter(user=user).select_related("slot__poll__set")
    return {
        "answers": [
            {
                "set": a.slot.poll.set.name,
                "poll": a.slot.poll.title,
                "time": _when(a.slot.starts_at),
                "answer": a.get_choice_display(),
            }
            for a in answers.order_by("slot__starts_at", "pk")
        ],
        "proposed": [
            {
                "set": p.set.name,
                "title": p.title,
                "note": p.note,
                "status": p.get_status_display(),
                "created_at": _when(p.created_at),
            }
            for p in Poll.objects.filter(created_by=user).select_related("set").order_by("pk")
        ],
    }


def surveys(user: User) -> list[Data]:
    """evaluation: the person's start and end surveys and pulses, with every answer."""
    wording = {
        q.key: q.text
        for group in (survey_questions().self_assessment, survey_questions().pulse)
        for q in group
    } | {q.key: q.text for q in survey_questions().ending}
    rows = (
        Response.objects.own(user)
        .select_related("set", "meeting__set")
        .prefetch_related("answers")
        .order_by("created_at", "pk")
    )
    return [
        {
            "set": r.set.name,
            "survey": r.get_survey_display(),
            "meeting": _meeting(r.meeting),
            "skipped": r.skipped,
            "answers": [
                {
                    "question": wording.get(a.question, a.question),
                    "value": a.value,
                    "text": a.text,
                }
                for a in r.answers.all()
            ],
            "private_comment": r.comment,
            "may_share_as_a_theme": r.share_theme,
            "updated_at": _when(r.updated_at),
        }
        for r in rows
    ]


def programmes(user: User) -> Data:
    """programmes: the programmes the person manages and their requests to join open sets."""
    return {
        "managed": [
            {"name": p.name, "starts_on": _when(p.starts_on), "ends_on": _when(p.ends_on)}
            for p in Programme.objects.filter(managers=user).order_by("pk")
        ],
        "join_requests": [
            {
                "set": j.set.name,
                "note": j.note,
                "status": j.get_status_display(),
                "created_at": _when(j.created_at),
            }
            for j in JoinRequest.objects.filter(person=user).select_related("set").order_by("pk")
        ],
    }


def development(user: User) -> Data:
    """development: the person's places in facilitators' programmes, training days attended,
    the evidence they attached, the sign-offs they received (not the trainer's note: the
    trainer's words), the observations they wrote, and those written about their own chairing;
    and their practice record."""
    observations = Observation.objects.select_related("meeting__set")

    def feedback(o: Observation) -> Data:
        return {
            "meeting": _meeting(o.meeting),
            "went_well": o.went_well,
            "opening_questions": o.opening_questions,
            "interventions": o.interventions,
            "try_next": o.try_next,
            "written_at": _when(o.written_at),
        }

    return {
        "programmes": [
            {"programme": p.programme.name, "role": p.get_role_display()}
            for p in Participant.objects.filter(user=user).select_related("programme")
        ],
        "training_days": [
            {
                "day": d.day.title,
                "starts_at": _when(d.day.starts_at),
                "status": d.get_status_display(),
            }
            for d in DayAttendance.objects.filter(user=user).select_related("day").order_by("pk")
        ],
        "evidence": [
            {
                "programme": e.outcome.programme.name,
                "outcome": f"{e.outcome.number}. {e.outcome.text}",
                "kind": e.get_kind_display(),
                "entry": e.entry.title if e.entry else None,
                "set": e.set.name if e.set else None,
                "note": e.note,
                "added_at": _when(e.added_at),
            }
            for e in Evidence.objects.filter(trainee=user)
            .select_related("outcome__programme", "entry", "set")
            .order_by("pk")
        ],
        "sign_offs": [
            {
                "programme": s.outcome.programme.name,
                "outcome": f"{s.outcome.number}. {s.outcome.text}",
                "signed_at": _when(s.signed_at),
            }
            for s in SignOff.objects.filter(trainee=user).select_related("outcome__programme")
        ],
        "sign_offs_given": [
            {
                "programme": s.outcome.programme.name,
                "outcome": f"{s.outcome.number}. {s.outcome.text}",
                "note": s.note,
                "signed_at": _when(s.signed_at),
            }
            for s in SignOff.objects.filter(trainer=user).select_related("outcome__programme")
        ],
        "observations_written": [
            feedback(o) for o in observations.filter(observer=user).order_by("pk")
        ],
        "observations_of_my_chairing": [
            feedback(o) for o in observations.filter(trainee=user).order_by("pk")
        ],
        "practice_record": [
            {
                "kind": p.get_kind_display(),
                "on": _when(p.on),
                "hours": str(p.hours),
                "title": p.title,
                "note": p.note,
            }
            for p in PracticeEntry.objects.filter(user=user).order_by("on", "pk")
        ],
    }


@dataclass
class AttachmentFile:
    """A file of the person's log to copy into the ZIP under ``path``."""

    attachment: Attachment
    path: str


@dataclass
class Journal:
    logs: list[Data] = field(default_factory=list)
    files: list[AttachmentFile] = field(default_factory=list)
    shares: list[Data] = field(default_factory=list)
    comments_written: list[Data] = field(default_factory=list)


def journal(user: User) -> Journal:
    """journal: the person's logs, every entry (drafts too) and its attachments, the shares they
    made (with the reader's role, not their address), submissions, the comments they wrote and
    their decisions on submissions as an assessor (not the entries they commented on: another person's log)."""
    found = Journal()
    for log in Log.objects.filter(owner=user).order_by("pk"):
        entries = []
        for entry in log.entries.order_by("entry_date", "pk").prefetch_related("attachments"):
            files = []
            for attachment in entry.attachments.all():
                suffix = PurePosixPath(attachment.file.name).suffix
                path = f"attachments/log-{log.pk}/entry-{entry.pk}-{attachment.pk}{suffix}"
                found.files.append(AttachmentFile(attachment, path))
                files.append(
                    {
                        "file": path,
                        "kind": attachment.get_kind_display(),
                        "content_type": attachment.content_type,
                        "description": attachment.description,
                        "size": attachment.size,
                    }
                )
            entries.append(
                {
                    "title": entry.title,
                    "date": _when(entry.entry_date),
                    "section": entry.section,
                    "tags": entry.tag_list,
                    "draft": entry.draft,
                    "body": entry.body,
                    "word_count": entry.word_count,
                    "attachments": files,
                    "created_at": _when(entry.created_at),
                    "updated_at": _when(entry.updated_at),
                }
            )
        found.logs.append(
            {
                "title": log.title,
                "purpose": log.purpose,
                "started_on": _when(log.started_on),
                "period_months": log.period_months,
                "words_min": log.words_min,
                "words_max": log.words_max,
                "sections": list(log.sections),
                "entries": entries,
                "submissions": [
                    {
                        "number": s.number,
                        "submitted_at": _when(s.submitted_at),
                        "status": s.get_status_display(),
                    }
                    for s in log.submissions.order_by("number")
                ],
            }
        )
    for share in Share.objects.filter(log__owner=user).select_related("log").order_by("pk"):
        found.shares.append(
            {
                "log": share.log.title,
                "role": share.get_role_display(),
                "shared_at": _when(share.created_at),
                "accepted_at": _when(share.accepted_at),
                "revoked_at": _when(share.revoked_at),
            }
        )
    for comment in Comment.objects.filter(author=user).order_by("pk"):
        found.comments_written.append(
            {"kind": "comment", "text": comment.body, "written_at": _when(comment.created_at)}
        )
    decided = Submission.objects.filter(decided_by=user).exclude(decision_note="")
    for submission in decided.order_by("pk"):
        found.comments_written.append(
            {
                "kind": f"decision: {submission.get_status_display()}",
                "text": submission.decision_note,
                "written_at": _when(submission.decided_at),
            }
        )
    return found


# --- the ZIP ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    file: str
    title: str
    read: Callable[[User], Any]


PARTS = (
    Part("profile.json", "Your profile", profile),
    Part("memberships.json", "Your sets and roles", memberships),
    Part("issues.json", "Your issues", issues),
    Part("expectations.json", "Your expectations questionnaires", expectations),
    Part("actions.json", "Your actions and report-backs", actions),
    Part("meetings.json", "Your attendance and your words in meetings", meetings),
    Part("polls.json", "Your date poll answers", polls),
    Part("surveys.json", "Your survey and pulse answers", surveys),
    Part("programmes.json", "Programmes you manage, and your requests to join sets", programmes),
    Part("development.json", "Facilitator development and your practice record", development),
)


def _default(value: object) -> str:
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _write_json(archive: ZipFile, name: str, data: object) -> None:
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=2, default=_default)


def _count(data: object) -> int:
    """How many records a part holds, for the index."""
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        return sum(len(v) for v in lists) if lists else 1
    return 1


def _copy_attachment(archive: ZipFile, item: AttachmentFile) -> bool:
    """Copies one attachment into the ZIP a block at a time; False when its file is gone (deleted
    while the ZIP was built)."""
    storage = item.attachment.file.storage
    try:
        source = storage.open(item.attachment.file.name, "rb")
    except FileNotFoundError:
        return False
    # Pictures and recordings are compressed already: stored as they are.
    with source, archive.open(item.path, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    return True


def build(user: User) -> IO[bytes]:
    """The person's data as a ZIP in an anonymous temporary file (gone when closed), read in
    one snapshot, positioned at its start."""
    out = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 (closed by the response)
    try:
        with one_snapshot(), ZipFile(out, "w", ZIP_DEFLATED) as archive:
            user = User.objects.get(pk=user.pk)  # as the snapshot has it
            rows = []
            for part in PARTS:
                data = part.read(user)
                _write_json(archive, part.file, data)
                rows.append({"file": part.file, "title": part.title, "count": _count(data)})
            found = journal(user)
            _write_json(archive, "journal.json", found.logs)
            _write_json(archive, "shares.json", found.shares)
            _write_json(archive, "comments.json", found.comments_written)
            rows += [
                {"file": "journal.json", "title": "Your learning logs", "count": len(found.logs)},
                {"file": "shares.json", "title": "Your shares", "count": len(found.shares)},
                {
                    "file": "comments.json",
                    "title": "Comments and assessment decisions you wrote",
                    "count": len(found.comments_written),
                },
            ]
            archive.compression = ZIP_STORED
            files = []
            for item in found.files:
                copied = _copy_attachment(archive, item)
                files.append({"path": item.path, "copied": copied, "attachment": item.attachment})
            archive.compression = ZIP_DEFLATED
            index = render_to_string(
                "privacy/export_index.html",
                {
                    "person": user,
                    "made_at": timezone.now(),
                    "parts": rows,
                    "logs": found.logs,
                    "files": files,
                },
            )
            archive.writestr("index.html", index)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def file_name() -> str:
    return f"revans-my-data-{timezone.localdate().isoformat()}.zip"
