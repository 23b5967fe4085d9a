"""The dates of a set's schedule: every N weeks, or monthly on the same weekday ("second Tuesday").

Pure Python: dates are planned as wall-clock times in the planner's time zone, so a 10:00 meeting
stays at 10:00 across a change of clocks; a wall-clock time that does not exist (the hour the
clocks spring forward) is refused, never silently moved.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

MAX_COUNT = 52
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class ScheduleError(ValueError):
    """A schedule that cannot be planned; the message says why, for the person planning it."""


@dataclass(frozen=True)
class Cadence:
    """``weeks``: every ``interval`` weeks. ``monthly``: every month on the first date's
    nth weekday (the last one when the first date is a fifth weekday)."""

    kind: str
    interval: int = 1

    def __post_init__(self) -> None:
        if self.kind not in ("weeks", "monthly"):
            raise ScheduleError(f"Unknown cadence {self.kind!r}.")
        if self.interval < 1:
            raise ScheduleError("The cadence must be at least one week apart.")


def nth_weekday(day: date) -> int:
    """1–4 for the first to fourth such weekday of its month; -1 for a fifth (the last)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def describe(cadence: Cadence, first: date) -> str:
    if cadence.kind == "monthly":
        return f"monthly on the {ORDINALS[nth_weekday(first)]} {WEEKDAYS[first.weekday()]}"
    if cadence.interval == 1:
        return "every week"
    return f"every {cadence.interval} weeks"


def weekday_in_month(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``th ``weekday`` (0 = Monday) of a month; ``n = -1`` for the last."""
    days = [week[weekday] for week in calendar.monthcalendar(year, month) if week[weekday] != 0]
    return date(year, month, days[n] if n == -1 else days[n - 1])


def localise(local: datetime, zone: ZoneInfo) -> datetime:
    """An aware datetime for a wall-clock time in ``zone``; refuses a time the clocks skip."""
    aware = local.replace(tzinfo=zone, fold=0)
    back = aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
    if back != local.replace(tzinfo=None):
        raise ScheduleError(
            f"{local:%H:%M} on {local:%A %-d %B %Y} does not exist in {zone.key}: the clocks go "
            "forward then. Choose another time."
        )
    return aware


def plan(first: datetime, zone: ZoneInfo, cadence: Cadence, count: int) -> list[datetime]:
    """The starts of ``count`` meetings from the naive wall-clock time ``first`` in ``zone``."""
    if not 1 <= count <= MAX_COUNT:
        raise ScheduleError(f"Plan between 1 and {MAX_COUNT} meetings at a time.")
    starts = []
    n, weekday = nth_weekday(first.date()), first.weekday()
    try:
        for index in range(count):
            if cadence.kind == "weeks":
                local = first + timedelta(weeks=index * cadence.interval)
            else:
                months = first.month - 1 + index * cadence.interval
                day = weekday_in_month(first.year + months // 12, months % 12 + 1, weekday, n)
                local = datetime.combine(day, first.time())
            starts.append(localise(local, zone))
    except ScheduleError:
        raise  # a time the clocks skip: its own message
    except (OverflowError, ValueError):
        raise ScheduleError("Those meetings run past the end of the calendar.") from None
    return starts


def count_until(first: date, last: date, weeks: int) -> int:
    """How many meetings ``weeks`` apart fit from ``first`` to ``last``, both included (at
    most MAX_COUNT; none when ``last`` comes first)."""
    if last < first or weeks < 1:
        return 0
    return min(MAX_COUNT, (last - first).days // (7 * weeks) + 1)


@dataclass(frozen=True)
class Busy:
    """An existing meeting that a planned one may clash with."""

    label: str
    starts_at: datetime
    ends_at: datetime


def clashes(start: datetime, minutes: int, busy: list[Busy]) -> list[Busy]:
    end = start + timedelta(minutes=minutes)
    return [b for b in busy if b.starts_at < end and start < b.ends_at]
