"""The room's state as every participant's screen needs it: one JSON document per change."""

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from django.db.models import Count, Q

from revans.actions.models import Action
from revans.coach.scenarios import all_scenarios, get_scenario
from revans.sets.models import GroundRules, GroundRulesAgreement, Issue, Membership, Role

from ..models import (
    Attendance,
    Bid,
    Meeting,
    PracticeQuestion,
    Question,
    ReviewNote,
    Room,
    RuleProposal,
    Technique,
)
from . import machine, techniques


def participants(meeting: Meeting) -> list[Membership]:
    """The set's memberships, facilitators first (they are the people in the room)."""
    return list(
        meeting.set.memberships.select_related("user").order_by("role", "user__display_name")
    )


def member_ids(people: Iterable[Membership]) -> list[int]:
    return [m.user_id for m in people if m.role == Role.MEMBER]


def stage_order(room: Room, people: Iterable[Membership]) -> list[machine.Stage]:
    meeting = room.meeting
    phases = [phase["kind"] for phase in meeting.format.phases] or machine.PHASES
    return machine.stages(reporting_members(meeting, people), list(room.presenters), phases)


def reporting_members(meeting: Meeting, people: Iterable[Membership]) -> list[int]:
    """The members with actions from earlier meetings to report on (open, or reported at this
    one): each gets a report-back stage; a member with nothing to report gets none."""
    owners = set(
        Action.objects.filter(set_id=meeting.set_id)
        .filter(actions_in_play(meeting))
        .exclude(committed_in=meeting)
        .values_list("owner_id", flat=True)
    )
    return [user_id for user_id in member_ids(people) if user_id in owners]


def planned_seconds(room: Room, stage: machine.Stage, people: Iterable[Membership]) -> int:
    meeting = room.meeting
    # Report-back's minutes are shared by the members who have something to report.
    reporting = reporting_members(meeting, people) if stage.phase == "report_back" else []
    return machine.planned_seconds(
        stage,
        meeting.format.phases,
        len(reporting),
        room.presenter_minutes,
        meeting.format.presenters,
    )


SECTIONS = (
    "meeting", "stage", "stages", "chair", "people", "timer", "ground_rules", "actions",
    "issues", "bids", "presenters", "presenter_minutes", "capture_questions", "questions",
    "question_mix", "review", "attendance", "closed", "proposals", "practice",
    "practice_questions", "techniques",
)  # fmt: skip


# Sections that grow: an event that adds to one (or changes one of its items: a canvas)
# carries that item alone, which replaces the item with its id or joins the end.
GROWING = ("questions", "review", "proposals", "practice_questions", "techniques")


def snapshot(
    room: Room, sections: Iterable[str] = SECTIONS, appended: str | None = None
) -> dict[str, Any]:
    """What the room shows, from the database (the authority): every section, or only those
    named (an event carries only the sections its command changed); ``appended`` names a
    growing section whose newest item goes under ``append``, not the whole list."""
    view = _RoomView(room)
    state = {name: getattr(view, name)() for name in sections}
    if appended is not None:
        state["append"] = {appended: view.newest(appended)}
    return state


class _RoomView:
    """The room's sections, each read from the database only when asked for."""

    def __init__(self, room: Room):
        self.room = room
        self._meeting = room.meeting

    @cached_property
    def _people(self) -> list[Membership]:
        return participants(self._meeting)

    @cached_property
    def _names(self) -> dict[int | None, str]:
        # Keyed by user id; looked up with ids that may be None (a deleted person): no name.
        return {m.user_id: m.user.display_name for m in self._people}

    @cached_property
    def _order(self) -> list[machine.Stage]:
        return stage_order(self.room, self._people)

    @cached_property
    def _issues(self) -> dict[int, str]:
        return {
            i.owner_id: i.title
            for i in Issue.objects.filter(set=self._meeting.set).exclude(
                status__in=["resolved", "set_aside"]
            )
        }

    @cached_property
    def _bids(self) -> list[Bid]:
        return list(Bid.objects.filter(meeting=self._meeting))

    def meeting(self) -> dict:
        meeting = self._meeting
        return {
            "id": meeting.pk,
            "number": meeting.number,
            "set": meeting.set.name,
            "first": meeting.is_first,
            "self_facilitated": meeting.self_facilitated,
            "status": meeting.status,
            "ends_at": meeting.ends_at.isoformat(),
            "mode": meeting.set.mode,
            # An online or hybrid set's room carries its video link (architecture.md §2).
            "video_link": meeting.video_link or meeting.set.video_link or "",
        }

    def stage(self) -> dict:
        stage = machine.Stage.parse(self.room.stage)
        return {
            "key": stage.key,
            "phase": stage.phase,
            "person": stage.person,
            "step": stage.step,
            "title": _title(stage, self._names),
            "index": self._order.index(stage) if stage in self._order else 0,
            "count": len(self._order),
            "planned_seconds": planned_seconds(self.room, stage, self._people),
        }

    def stages(self) -> list[dict]:
        return [{"key": s.key, "title": _title(s, self._names)} for s in self._order]

    def chair(self) -> int | None:
        return self.room.chair_id

    def people(self) -> list[dict]:
        return [
            {"id": m.user_id, "name": m.user.display_name, "role": m.role} for m in self._people
        ]

    def timer(self) -> dict:
        room = self.room
        return {
            "seconds": room.timer_seconds,
            "elapsed": room.timer_elapsed,
            "started_at": room.timer_started_at.isoformat() if room.timer_started_at else None,
        }

    def ground_rules(self) -> dict:
        rules = GroundRules.objects.filter(set=self._meeting.set).order_by("-version").first()
        agreed = (
            list(
                GroundRulesAgreement.objects.filter(ground_rules=rules).values_list(
                    "user_id", flat=True
                )
            )
            if rules
            else []
        )
        return {
            "version": rules.version if rules else None,
            "rules": list(rules.rules) if rules else [],
            "agreed": agreed,
        }

    def actions(self) -> list[dict]:
        meeting = self._meeting
        actions = (
            Action.objects.filter(set=meeting.set)
            .filter(actions_in_play(meeting))
            .select_related("committed_in")
            .order_by("owner_id", "created_at")
        )
        return [
            {
                "id": a.pk,
                "owner": a.owner_id,
                "text": a.text,
                "status": a.status,
                "note": a.report_note,
                "from_meeting": a.committed_in.number,
                "this_meeting": a.committed_in_id == meeting.pk,
                "reported_here": a.reported_in_id == meeting.pk,
            }
            for a in actions
        ]

    def issues(self) -> dict:
        return {str(k): v for k, v in self._issues.items()}

    def bids(self) -> list[dict]:
        return [{"user": b.user_id, "headline": b.headline} for b in self._bids]

    def presenters(self) -> list[dict]:
        headline = {b.user_id: b.headline for b in self._bids}
        return [
            {
                "id": p,
                "name": self._names.get(p, "?"),
                "headline": headline.get(p, self._issues.get(p, "")),
            }
            for p in self.room.presenters
        ]

    def presenter_minutes(self) -> int:
        return self.room.presenter_minutes

    def capture_questions(self) -> bool:
        return self.room.capture_questions

    def questions(self) -> list[dict]:
        return [self._question(q) for q in Question.objects.filter(meeting=self._meeting)]

    def _question(self, q: Question) -> dict:
        return {
            "id": q.pk,
            "presenter": q.presenter_id,
            "text": q.text,
            "asker": self._names.get(q.asker_id, ""),
            "powerful": q.powerful,
        }

    def newest(self, section: str) -> list[dict]:
        """The last item of a growing section (the canvas changed last), as a list of one (or
        none)."""
        meeting = self._meeting
        if section == "questions":
            question = Question.objects.filter(meeting=meeting).order_by("-pk").first()
            return [self._question(question)] if question else []
        if section == "proposals":
            proposal = RuleProposal.objects.filter(meeting=meeting).order_by("-pk").first()
            return [self._proposal(proposal)] if proposal else []
        if section == "practice_questions":
            asked = PracticeQuestion.objects.filter(meeting=meeting).order_by("-pk").first()
            return [self._practice_question(asked)] if asked else []
        if section == "techniques":
            canvas = Technique.objects.filter(meeting=meeting).order_by("-seq", "-pk").first()
            return [self._technique(canvas)] if canvas else []
        note = ReviewNote.objects.filter(meeting=meeting).order_by("-pk").first()
        return [self._note(note)] if note else []

    def question_mix(self) -> dict:
        # The set's running mix for the chair: counts only, never who asked what.
        return dict(
            Question.objects.filter(meeting=self._meeting)
            .exclude(label="")
            .values_list("label")
            .annotate(count=Count("pk"))
            .values_list("label", "count")
        )

    def review(self) -> list[dict]:
        return [self._note(n) for n in ReviewNote.objects.filter(meeting=self._meeting)]

    def _note(self, n: ReviewNote) -> dict:
        return {
            "id": n.pk,
            "author": self._names.get(n.author_id, ""),
            "text": n.text,
            "change": n.change,
        }

    def attendance(self) -> dict:
        return {
            str(user_id): status
            for user_id, status in Attendance.objects.filter(meeting=self._meeting).values_list(
                "user_id", "status"
            )
        }

    def closed(self) -> bool:
        return self.room.closed_at is not None

    # A taster first meeting: the rules the set proposes, its practice round.

    def proposals(self) -> list[dict]:
        return [self._proposal(p) for p in RuleProposal.objects.filter(meeting=self._meeting)]

    def _proposal(self, p: RuleProposal) -> dict:
        return {
            "id": p.pk,
            "text": p.text,
            "status": p.status,
            "author": self._names.get(p.author_id, ""),
        }

    def practice(self) -> dict:
        if not any(phase["kind"] == "practice" for phase in self._meeting.format.phases):
            return {"scenario": None, "choices": []}  # not a taster: nothing to practise on
        scenario = get_scenario(self.room.scenario) if self.room.scenario else None
        return {
            "scenario": (
                {
                    "slug": scenario.slug,
                    "title": scenario.title,
                    "presenter": scenario.presenter,
                    "role": scenario.role,
                    "account": list(scenario.account),
                    "hopes": list(scenario.hopes),
                }
                if scenario
                else None
            ),
            "choices": [{"slug": s.slug, "title": s.title} for s in all_scenarios()],
        }

    def practice_questions(self) -> list[dict]:
        return [
            self._practice_question(q)
            for q in PracticeQuestion.objects.filter(meeting=self._meeting)
        ]

    def _practice_question(self, q: PracticeQuestion) -> dict:
        # The coach's label with the words, never the asker's name beside them.
        return {"id": q.pk, "scenario": q.scenario, "text": q.text, "label": q.label}

    # Techniques opened in the airtimes.

    def techniques(self) -> list[dict]:
        return [self._technique(t) for t in Technique.objects.filter(meeting=self._meeting)]

    def _technique(self, t: Technique) -> dict:
        return {"id": t.pk, "presenter": t.presenter_id, **techniques.view(t.kind, t.data)}


def actions_in_play(meeting: Meeting) -> Q:
    """Open actions from earlier meetings, and any action committed or reported at this one."""
    return (
        Q(status=Action.Status.COMMITTED, committed_in__starts_at__lt=meeting.starts_at)
        | Q(committed_in=meeting)
        | Q(reported_in=meeting)
    )


def _title(stage: machine.Stage, names: dict[int | None, str]) -> str:
    title = machine.PHASE_TITLES.get(stage.phase, stage.phase)
    if stage.phase == "report_back":
        return f"{title}: {names.get(stage.person, 'someone who left')}"
    if stage.phase == "airtime":
        step = stage.step and machine.STAGE_TITLES.get(stage.step, stage.step)
        return f"{title}: {names.get(stage.person, 'someone who left')} · {step}"
    return title
