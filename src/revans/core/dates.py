"""Calendar arithmetic shared by the apps."""

import calendar
from datetime import date
from typing import TypeVar

Day = TypeVar("Day", bound=date)  # a date, or a datetime (a subclass of date)


def add_months(day: Day, months: int) -> Day:
    """``day`` moved on ``months`` calendar months (back when negative), kept within a shorter
    month (31 Jan → 28 Feb); a datetime keeps its time and zone."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
