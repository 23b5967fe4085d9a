"""The order of a meeting's stages and the shared timer, as plain functions (architecture.md §3).

A stage is a key: ``check_in``, ``report_back:<user id>``, ``bidding``,
``airtime:<presenter id>:<present|questions|actions|reflection>``, ``process_review``,
``summary``; a taster first meeting has ``how_it_works``, ``practice``, ``ground_rules`` and
``dates`` in place of report-back, bidding and airtime. The list depends on the format's phases,
who is in the set and who presents, so the room stores the key of where it is, not a position,
and the list is worked out again whenever it is needed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

AIRTIME_STAGES = ("present", "questions", "actions", "reflection")
PHASE_TITLES = {
    "check_in": "Check-in",
    "report_back": "Report-back",
    "bidding": "Bidding for airtime",
    "airtime": "Airtime",
    "how_it_works": "How action learning works",
    "practice": "A practice round",
    "ground_rules": "Our ground rules",
    "dates": "Our next dates",
    "process_review": "Process review",
    "summary": "Summary",
}
STAGE_TITLES = {
    "present": "Presenting",
    "questions": "Questions",
    "actions": "Actions",
    "reflection": "Reflection",
}


@dataclass(frozen=True)
class Stage:
    phase: str
    person: int | None = None
    step: str | None = None

    @property
    def key(self) -> str:
        if self.phase == "airtime":
            return f"airtime:{self.person}:{self.step}"
        if self.phase == "report_back":
            return f"report_back:{self.person}"
        return self.phase

    @classmethod
    def parse(cls, key: str) -> "Stage":
        parts = key.split(":")
        if parts[0] == "airtime" and len(parts) == 3:
            return cls("airtime", int(parts[1]), parts[2])
        if parts[0] == "report_back" and len(parts) == 2:
            return cls("report_back", int(parts[1]))
        return cls(parts[0])


# The phases of every meeting but a taster, in order (``data/formats.json``).
PHASES = ("check_in", "report_back", "bidding", "airtime", "process_review", "summary")


def stages(
    members: list[int], presenters: list[int], phases: Sequence[str] = PHASES
) -> list[Stage]:
    """Every stage of the meeting, in the order of its format's ``phases``: report-back has a
    stage for each member reporting, airtime four for each presenter, any other phase one. A
    meeting always ends with its summary."""
    order = []
    for phase in phases:
        if phase == "report_back":
            order += [Stage("report_back", member) for member in members]
        elif phase == "airtime":
            for presenter in presenters:
                order += [Stage("airtime", presenter, step) for step in AIRTIME_STAGES]
        elif phase in PHASE_TITLES:
            order.append(Stage(phase))
    if not order or order[-1].phase != "summary":
        order.append(Stage("summary"))
    return order


def _index(order: list[Stage], current: Stage) -> int:
    if current in order:
        return order.index(current)
    # Someone left the set or stopped presenting: carry on from the phase they were in.
    phases = [stage.phase for stage in order]
    return phases.index(current.phase) if current.phase in phases else 0


def following(order: list[Stage], current: Stage) -> Stage | None:
    index = _index(order, current)
    return order[index + 1] if index + 1 < len(order) else None


def preceding(order: list[Stage], current: Stage) -> Stage | None:
    index = _index(order, current)
    return order[index - 1] if index > 0 else None


def planned_seconds(
    stage: Stage, phases: list[dict], members: int, presenter_minutes: int, format_presenters: int
) -> int:
    """The minutes the format plans for ``stage``: report-back is shared between the members,
    airtime between its steps in the format's proportions, scaled to the presenter's minutes."""
    by_kind = {phase["kind"]: phase for phase in phases}
    phase = by_kind.get(stage.phase, {"minutes": 0})
    if stage.phase == "report_back":
        return round(phase["minutes"] * 60 / max(members, 1))
    if stage.phase == "airtime":
        steps = phase.get("stages") or {step: 0 for step in AIRTIME_STAGES}
        planned = sum(steps.values()) or 1
        minutes = presenter_minutes or phase.get("minutes", 0)
        return round(minutes * 60 * steps.get(stage.step, 0) / planned)
    return phase["minutes"] * 60


def split_minutes(total_minutes: int, presenters: int) -> int:
    """Each presenter's share of the time left for airtime, in whole minutes (at least 5)."""
    if presenters <= 0:
        return 0
    return max(5, total_minutes // presenters)


def remaining(seconds: int, elapsed: float, started_at: datetime | None, now: datetime) -> float:
    """Seconds left on the timer (negative once time is up: it never cuts anyone off)."""
    running = (now - started_at).total_seconds() if started_at else 0.0
    return seconds - elapsed - running
