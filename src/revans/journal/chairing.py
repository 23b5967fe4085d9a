"""The facilitator's "Add to my log" (issue 16): the draft brings in the set's figures for the
meeting (attendance, the question mix, actions reported on and committed) and the facilitator's
own chairing (time in each phase, how often they moved the meeting on, handing the chair over,
the questions they asked), never a member's words: counts, phase names and the facilitator's own
questions only (architecture.md §4).

Everything is read through the models' access-checked querysets for ``user`` (a facilitator of
the meeting's set), in a fixed handful of queries.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from revans.actions.models import Action
from revans.meetings.insight import Mix, meeting_mix
from revans.meetings.models import Attendance, Meeting, Question, Room, RoomEvent
from revans.meetings.room.machine import PHASE_TITLES, Stage
from revans.sets.models import Membership, Role

from .prompts import shipped_prompt_sets

PROMPT_SET = "after-a-meeting-facilitator"
MOVES = ("advance", "back", "go_to")  # the room's commands that move the meeting on (or back)


@dataclass
class SetFigures:
    """One meeting of the set in counts."""

    members: int = 0
    present: int = 0
    apologies: int = 0
    absent: int = 0
    mix: Mix = field(default_factory=Mix)
    committed: int = 0
    reported: dict[str, int] = field(default_factory=dict)  # status name → how many


@dataclass
class Chairing:
    """What the facilitator did as the chair."""

    planned_minutes: int = 0
    phases: list[tuple[str, int]] = field(default_factory=list)  # phase title, minutes
    moves: int = 0
    handed_over: int = 0
    asked: list[str] = field(default_factory=list)


def facilitates(user, meeting: Meeting) -> bool:
    return Membership.objects.filter(
        set_id=meeting.set_id, user=user, role=Role.FACILITATOR
    ).exists()


def set_figures(user, meeting: Meeting) -> SetFigures:
    members = list(
        Membership.objects.filter(set_id=meeting.set_id, role=Role.MEMBER).values_list(
            "user_id", flat=True
        )
    )
    figures = SetFigures(members=len(members))
    statuses = Counter(
        Attendance.objects.visible_to(user)
        .filter(meeting=meeting, user_id__in=members)
        .values_list("status", flat=True)
    )
    figures.present = statuses[Attendance.Status.PRESENT]
    figures.apologies = statuses[Attendance.Status.APOLOGIES]
    figures.absent = statuses[Attendance.Status.ABSENT]
    figures.mix = meeting_mix(Question.objects.visible_to(user).filter(meeting=meeting))
    actions = Action.objects.visible_to(user)
    figures.committed = actions.filter(committed_in=meeting).count()
    names = dict(Action.Status.choices)
    figures.reported = {
        names[row["status"]]: row["n"]
        for row in actions.filter(reported_in=meeting)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by("status")
    }
    return figures


def chairing(user, meeting: Meeting) -> Chairing:
    chair = Chairing(planned_minutes=meeting.duration_minutes)
    room = Room.objects.filter(meeting=meeting).only("stage_elapsed").first()
    seconds: dict[str, float] = {}
    for key, spent in ((room.stage_elapsed or {}) if room else {}).items():
        phase = Stage.parse(key).phase
        seconds[phase] = seconds.get(phase, 0.0) + float(spent)
    chair.phases = [
        (title, round(seconds[phase] / 60))
        for phase, title in PHASE_TITLES.items()
        if phase in seconds
    ]
    done = Counter(
        RoomEvent.objects.filter(
            meeting=meeting, actor=user, kind__in=[*MOVES, "hand_over"]
        ).values_list("kind", flat=True)
    )
    chair.moves = sum(done[kind] for kind in MOVES)
    chair.handed_over = done["hand_over"]
    chair.asked = list(
        Question.objects.visible_to(user)
        .filter(meeting=meeting, asker=user)
        .exclude(text="")  # deleted with the set's retention
        .order_by("created_at")
        .values_list("text", flat=True)
    )
    return chair


def _line(text: str) -> str:
    return "- " + " ".join(str(text).split())


def _times(n: int, what: str) -> str:
    if what == "time" and n == 1:
        return "once"
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def facilitator_body(figures: SetFigures, chair: Chairing) -> str:
    """The draft's Markdown: the facilitators' Learning Log Questions, with the figures under
    "What did I notice" and the chairing under "What did I learn about my facilitation"."""
    prepare, notice, learn, next_time = (p.text for p in shipped_prompt_sets()[PROMPT_SET].prompts)
    f, mix = figures, figures.mix
    parts = [f"## {prepare}\n\n", f"## {notice}\n"]
    parts.append(
        "The set's figures for this meeting (counts only: what members said stays in the set):"
    )
    recorded = f.present + f.apologies + f.absent
    if recorded:
        line = f"Attendance: {f.present} of {f.members} members present"
        if f.apologies:
            line += f", {f.apologies} sent apologies"
        if f.absent:
            line += f", {f.absent} absent"
        parts.append(_line(line + "."))
    else:
        parts.append(_line("Attendance was not recorded."))
    if mix.asked:
        kinds = ", ".join(
            f"{n} {name}"
            for n, name in (
                (mix.open, "open"),
                (mix.closed, "closed"),
                (mix.leading, "leading"),
                (mix.advice, "advice"),
                (mix.statement, "not a question"),
            )
            if n
        )
        share = f" ({mix.open_share}% open)" if mix.open_share is not None else ""
        parts.append(_line(f"Questions captured: {mix.asked}: {kinds}{share}."))
    else:
        parts.append(_line("No questions were captured in the room."))
    reported = sum(f.reported.values())
    actions = (
        f"Actions: {_times(reported, 'report-back')}"
        + (
            " (" + ", ".join(f"{n} {name.lower()}" for name, n in f.reported.items()) + ")"
            if reported
            else ""
        )
        + f"; {_times(f.committed, 'new action')} committed."
    )
    parts.append(_line(actions))
    parts.append(f"\n## {learn}\n")
    parts.append("My chairing:")
    if chair.phases:
        spent = ", ".join(f"{title} {minutes} min" for title, minutes in chair.phases)
        parts.append(_line(f"Time in each phase: {spent} (planned: {chair.planned_minutes} min)."))
    moved = f"I moved the meeting on or back {_times(chair.moves, 'time')}"
    if chair.handed_over:
        moved += f" and handed the chair over {_times(chair.handed_over, 'time')}"
    parts.append(_line(moved + "."))
    if chair.asked:
        parts.append("\nThe questions I asked:")
        parts.extend(_line(text) for text in chair.asked)
    parts.append(f"\n## {next_time}\n")
    return "\n".join(parts).rstrip() + "\n\n"
