from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from revans.meetings.schedule import (
    Busy,
    Cadence,
    ScheduleError,
    clashes,
    describe,
    nth_weekday,
    plan,
)

LONDON = ZoneInfo("Europe/London")


def test_every_two_weeks_keeps_the_weekday_and_time():
    starts = plan(datetime(2027, 1, 5, 10, 0), LONDON, Cadence("weeks", 2), 6)
    assert [s.date() for s in starts] == [
        date(2027, 1, 5) + timedelta(weeks=2 * i) for i in range(6)
    ]
    assert {(s.weekday(), s.hour, s.minute) for s in starts} == {(1, 10, 0)}


def test_monthly_on_the_second_tuesday():
    starts = plan(datetime(2027, 1, 12, 14, 0), LONDON, Cadence("monthly"), 6)
    assert [s.date() for s in starts] == [
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
        date(2027, 5, 11),
        date(2027, 6, 8),
    ]
    assert describe(Cadence("monthly"), date(2027, 1, 12)) == "monthly on the second Tuesday"


def test_monthly_from_a_fifth_weekday_means_the_last_one():
    assert nth_weekday(date(2027, 3, 30)) == -1  # the fifth Tuesday of March 2027
    starts = plan(datetime(2027, 3, 30, 9, 0), LONDON, Cadence("monthly"), 3)
    assert [s.date() for s in starts] == [date(2027, 3, 30), date(2027, 4, 27), date(2027, 5, 25)]


def test_monthly_crosses_the_new_year():
    starts = plan(datetime(2027, 11, 2, 9, 0), LONDON, Cadence("monthly"), 3)
    assert [s.date() for s in starts] == [date(2027, 11, 2), date(2027, 12, 7), date(2028, 1, 4)]


def test_wall_clock_time_is_kept_across_the_change_of_clocks():
    # 10:00 in London is 10:00 GMT (UTC) before 28 March 2027 and 09:00 UTC after it.
    starts = plan(datetime(2027, 3, 16, 10, 0), LONDON, Cadence("weeks"), 3)
    assert [s.astimezone(ZoneInfo("UTC")).hour for s in starts] == [10, 10, 9]
    assert {s.astimezone(LONDON).hour for s in starts} == {10}


def test_a_time_the_clocks_skip_is_refused():
    with pytest.raises(ScheduleError, match="does not exist in Europe/London"):
        plan(datetime(2027, 3, 28, 1, 30), LONDON, Cadence("weeks"), 2)


def test_a_later_date_in_the_skipped_hour_is_refused_too():
    with pytest.raises(ScheduleError, match="Sunday 28 March 2027"):
        plan(datetime(2027, 3, 21, 1, 30), LONDON, Cadence("weeks"), 2)


def test_the_repeated_hour_in_autumn_takes_the_first():
    (start,) = plan(datetime(2027, 10, 31, 1, 30), LONDON, Cadence("weeks"), 1)
    assert start.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("count", [0, -1, 53])
def test_count_must_be_between_one_and_fifty_two(count):
    with pytest.raises(ScheduleError, match="between 1 and 52"):
        plan(datetime(2027, 1, 5, 10, 0), LONDON, Cadence("weeks"), count)


@pytest.mark.parametrize("kind", ["weeks", "monthly"])
def test_meetings_past_the_year_9999_are_refused_not_a_crash(kind):
    # A date field takes 9999-12-01: the form shows this error instead of a 500.
    with pytest.raises(ScheduleError, match="end of the calendar"):
        plan(datetime(9999, 12, 1, 10, 0), LONDON, Cadence(kind), 9)


@pytest.mark.parametrize("interval", [0, -2])
def test_cadence_must_be_positive(interval):
    with pytest.raises(ScheduleError, match="at least one week"):
        Cadence("weeks", interval)


def test_clashes_are_overlaps_only():
    start = datetime(2027, 1, 5, 10, 0, tzinfo=LONDON)
    busy = [
        Busy("meeting 1", start + timedelta(minutes=30), start + timedelta(minutes=90)),
        Busy("meeting 2", start + timedelta(minutes=60), start + timedelta(minutes=120)),
    ]
    assert [b.label for b in clashes(start, 60, busy)] == ["meeting 1"]
