import itertools
from datetime import UTC, datetime, timedelta

from revans.meetings.room.machine import (
    Stage,
    following,
    planned_seconds,
    preceding,
    remaining,
    split_minutes,
    stages,
)

PHASES = [
    {"kind": "check_in", "minutes": 5},
    {"kind": "report_back", "minutes": 10},
    {"kind": "bidding", "minutes": 3},
    {
        "kind": "airtime",
        "minutes": 35,
        "stages": {"present": 5, "questions": 20, "actions": 5, "reflection": 5},
    },
    {"kind": "process_review", "minutes": 5},
    {"kind": "summary", "minutes": 2},
]


def test_the_meeting_runs_check_in_report_back_bidding_airtime_review_summary():
    keys = [s.key for s in stages([1, 2], [2])]
    assert keys == [
        "check_in",
        "report_back:1",
        "report_back:2",
        "bidding",
        "airtime:2:present",
        "airtime:2:questions",
        "airtime:2:actions",
        "airtime:2:reflection",
        "process_review",
        "summary",
    ]


def test_every_stage_can_step_forward_and_back():
    order = stages([1, 2, 3], [3, 1])
    for before, after in itertools.pairwise(order):
        assert following(order, before) == after
        assert preceding(order, after) == before
    assert preceding(order, order[0]) is None
    assert following(order, order[-1]) is None


def test_keys_round_trip():
    for stage in stages([7], [7]):
        assert Stage.parse(stage.key) == stage


def test_a_stage_that_no_longer_exists_carries_on_from_its_phase():
    order = stages([1, 2], [])
    gone = Stage("report_back", 99)
    assert following(order, gone) == Stage("report_back", 2)


def test_planned_minutes_share_report_back_and_scale_airtime():
    assert planned_seconds(Stage("check_in"), PHASES, 6, 0, 1) == 300
    assert planned_seconds(Stage("report_back", 1), PHASES, 5, 0, 1) == 120
    assert planned_seconds(Stage("airtime", 1, "questions"), PHASES, 5, 0, 1) == 20 * 60
    # With 70 minutes for the presenter, every step doubles.
    assert planned_seconds(Stage("airtime", 1, "questions"), PHASES, 5, 70, 1) == 40 * 60


def test_time_is_split_between_presenters():
    assert split_minutes(100, 4) == 25
    assert split_minutes(10, 4) == 5
    assert split_minutes(60, 0) == 0


def test_the_timer_counts_on_the_server_clock_and_goes_negative():
    start = datetime(2027, 1, 1, 10, tzinfo=UTC)
    assert remaining(300, 0, None, start) == 300
    assert remaining(300, 60, start, start + timedelta(seconds=30)) == 210
    assert remaining(300, 0, start, start + timedelta(seconds=400)) == -100
