"""The templates a programme starts from: the delivery rules of real programmes as data. A
template only fills in the settings of a new programme; its managers can change any of them."""

from dataclasses import dataclass
from datetime import date, timedelta

# How long a closed set's content may be kept (``Programme.retention_months``): at least a month,
# so a set closed by mistake can be reopened; at most ten years.
RETENTION_MONTHS_MIN, RETENTION_MONTHS_MAX = 1, 120
RETENTION_MONTHS_DEFAULT = 12  # also the rule for sets outside a programme


@dataclass(frozen=True)
class ProgrammeTemplate:
    key: str
    name: str
    summary: str
    cadence_weeks: int
    meeting_format: str
    meeting_minutes: int
    set_size_min: int
    set_size_max: int
    facilitated_meetings: int | None  # None: the facilitator runs every meeting
    weeks: int  # how long the programme runs, from its start
    retention_months: int = RETENTION_MONTHS_DEFAULT  # after a set closes (architecture.md §4)

    def ends_on(self, starts_on: date) -> date:
        return starts_on + timedelta(weeks=self.weeks)


STANDARD = ProgrammeTemplate(
    key="standard",
    name="Six one-hour meetings",
    summary=(
        "Sets of 6 to 8 meet for an hour, six times, four weeks apart (a week to a month suits "
        "this format); the facilitator runs every meeting."
    ),
    cadence_weeks=4,
    meeting_format="one_hour",
    meeting_minutes=60,
    set_size_min=6,
    set_size_max=8,
    facilitated_meetings=None,
    weeks=24,
)

COUNCIL_LEADERSHIP = ProgrammeTemplate(
    key="council_leadership",
    name="Council leadership",
    summary=(
        "Sets of 6 to 8 meet for half a day every six weeks for a year (8 or 9 meetings); a "
        "facilitator runs 6 of them and the set runs the rest itself."
    ),
    cadence_weeks=6,
    meeting_format="half_day",
    meeting_minutes=240,
    set_size_min=6,
    set_size_max=8,
    facilitated_meetings=6,
    weeks=52,
)

TEMPLATES = {t.key: t for t in (STANDARD, COUNCIL_LEADERSHIP)}
CHOICES = [(t.key, t.name) for t in TEMPLATES.values()]


def template_for(key: str | None) -> ProgrammeTemplate:
    """The template named ``key``; the standard one for anything else."""
    return TEMPLATES.get(key or "", STANDARD)
