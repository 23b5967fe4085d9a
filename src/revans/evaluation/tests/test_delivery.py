"""The delivery figures (evaluation/delivery.py) against known data: every count and rate, the
slipping flags at their thresholds, and a fixed number of queries for any number of sets."""

from datetime import UTC, date, datetime, timedelta

import pytest

from revans.accounts.models import User
from revans.actions.models import Action
from revans.evaluation.delivery import delivery_of
from revans.meetings.models import Attendance, Meeting, MeetingFormat
from revans.sets.models import Membership, Role, Set

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def meeting(set_: Set, number: int, weeks_ago: float, status: str = "scheduled") -> Meeting:
    return Meeting.objects.create(
        set=set_,
        number=number,
        starts_at=NOW - timedelta(weeks=weeks_ago),
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
        status=status,
    )


def attend(m: Meeting, present: list[User], absent: list[User] = ()) -> None:
    for user in present:
        Attendance.objects.create(meeting=m, user=user, status="present")
    for user in absent:
        Attendance.objects.create(meeting=m, user=user, status="absent")


def members(world, n: int) -> list[User]:
    people = [world.mo]
    for i in range(n - 1):
        person = User.objects.create(email=f"m{i}@example.test", display_name=f"M{i}")
        Membership.objects.create(set=world.aurora, user=person, role=Role.MEMBER)
        people.append(person)
    return people


def action(world, committed: Meeting, status: str = "committed", reported: Meeting | None = None):
    return Action.objects.create(
        set=world.aurora,
        owner=world.mo,
        text="Call the rota team",
        committed_in=committed,
        status=status,
        reported_in=reported,
    )


def aurora(delivery):
    return next(s for s in delivery.sets if s.name == "Aurora")


@pytest.mark.django_db
def test_counts_held_missed_planned_attendance_and_actions(world):
    people = members(world, 5)  # mo and four more: five members
    m1 = meeting(world.aurora, 1, 8, "closed")
    m2 = meeting(world.aurora, 2, 4, "closed")
    meeting(world.aurora, 3, 2, "cancelled")  # past and cancelled: missed
    meeting(world.aurora, 4, -2)  # still to come: planned
    meeting(world.aurora, 5, -6, "cancelled")  # to come and cancelled: not counted
    attend(m1, people[:4], people[4:])  # 4 of 5
    attend(m2, people[:3], people[3:])  # 3 of 5
    action(world, m1, "done", m2)
    action(world, m1, "partly", m2)
    action(world, m1, "not_done", m2)
    action(world, m2)

    delivery = delivery_of([world.aurora, world.beacon], now=NOW)
    a = aurora(delivery)
    assert (a.members, a.meetings_held, a.meetings_missed, a.meetings_planned) == (5, 2, 1, 1)
    assert (a.attendance_present, a.attendance_recorded) == (7, 10)
    assert a.attendance_rate == 0.7
    assert (a.actions_committed, a.actions_completed, a.actions_partly, a.actions_open) == (
        4,
        1,
        1,
        1,
    )
    assert a.completion_rate == 0.25
    beacon = next(s for s in delivery.sets if s.name == "Beacon")
    assert (beacon.members, beacon.meetings_held, beacon.attendance_rate) == (1, 0, None)
    # Totals are the sums; rates are of the sums, not means of rates.
    assert delivery.members == 6
    assert delivery.meetings_held == 2
    assert delivery.attendance_rate == 0.7
    assert delivery.completion_rate == 0.25
    assert [(m.month, m.held, m.missed, m.planned) for m in delivery.months] == [
        (date(2026, 10, 1), 1, 0, 0),
        (date(2026, 11, 1), 1, 1, 0),
        (date(2026, 12, 1), 0, 0, 1),
    ]


@pytest.mark.django_db
def test_a_closed_meeting_nobody_attended_is_missed_not_held(world):
    m = meeting(world.aurora, 1, 2, "closed")
    attend(m, [], [world.mo])
    meeting(world.aurora, 2, 1, "closed")  # nobody recorded at all
    a = aurora(delivery_of([world.aurora], now=NOW))
    assert (a.meetings_held, a.meetings_missed, a.attendance_recorded) == (0, 2, 0)


@pytest.mark.django_db
def test_attendance_flag_at_its_threshold(world):
    people = members(world, 10)
    for number, present in ((1, 7), (2, 7), (3, 7)):
        m = meeting(world.aurora, number, 10 - number, "closed")
        attend(m, people[:present], people[present:])
    assert aurora(delivery_of([world.aurora], now=NOW)).slipping == []  # exactly 70%

    m = meeting(world.aurora, 4, 1, "closed")
    attend(m, people[:6], people[6:])  # last three: 7 + 7 + 6 of 30
    a = aurora(delivery_of([world.aurora], now=NOW))
    assert a.slipping == ["Attendance 67% at its last 3 meetings held"]
    assert a.is_slipping


@pytest.mark.django_db
def test_missed_flag_looks_at_the_last_two_past_meetings(world):
    m1 = meeting(world.aurora, 1, 6, "closed")
    attend(m1, [world.mo])
    meeting(world.aurora, 2, 4, "cancelled")
    m3 = meeting(world.aurora, 3, 2, "closed")
    attend(m3, [world.mo])
    assert aurora(delivery_of([world.aurora], now=NOW)).slipping == [
        "Missed 1 of its last 2 meetings"
    ]
    m4 = meeting(world.aurora, 4, 1, "closed")
    attend(m4, [world.mo])
    assert aurora(delivery_of([world.aurora], now=NOW)).slipping == []


@pytest.mark.django_db
def test_no_action_completed_flag(world):
    held = []
    for number in (1, 2, 3):
        m = meeting(world.aurora, number, 8 - 2 * number, "closed")
        attend(m, [world.mo])
        held.append(m)
    action(world, held[0], "not_done", held[1])
    action(world, held[0], "committed")
    a = aurora(delivery_of([world.aurora], now=NOW))
    assert a.slipping == ["No action completed at its last 2 meetings held"]

    Action.objects.filter(status="not_done").update(status="partly")
    assert aurora(delivery_of([world.aurora], now=NOW)).slipping == []


@pytest.mark.django_db
def test_no_action_flag_needs_actions_open(world):
    for number in (1, 2):
        m = meeting(world.aurora, number, 4 - number, "closed")
        attend(m, [world.mo])
    assert aurora(delivery_of([world.aurora], now=NOW)).slipping == []


@pytest.mark.django_db
def test_only_active_sets_are_flagged(world):
    meeting(world.beacon, 1, 2, "cancelled")
    world.beacon.status = Set.Status.FORMING
    world.beacon.save()
    beacon = delivery_of([world.beacon], now=NOW).sets[0]
    assert beacon.meetings_missed == 1
    assert beacon.slipping == []


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_sets(world, django_assert_num_queries):
    def grow(n):
        for i in range(n):
            s = Set.objects.create(name=f"S{i}", programme=world.programme, status="active")
            m = meeting(s, 1, 1, "closed")
            Attendance.objects.create(meeting=m, user=world.mo, status="present")
            Action.objects.create(set=s, owner=world.mo, text="x", committed_in=m)

    grow(2)
    sets = list(Set.objects.all())
    with django_assert_num_queries(3):
        delivery_of(sets, now=NOW)
    grow(20)
    sets = list(Set.objects.all())
    with django_assert_num_queries(3):
        delivery = delivery_of(sets, now=NOW)
    assert len(delivery.sets) == 24


@pytest.mark.django_db
def test_months_without_a_meeting_are_kept(world):
    meeting(world.aurora, 1, 20, "cancelled")  # July
    meeting(world.aurora, 2, 4, "cancelled")  # November
    months = delivery_of([world.aurora], now=NOW).months
    assert [m.month.month for m in months] == [7, 8, 9, 10, 11]
    assert [m.missed for m in months] == [1, 0, 0, 0, 1]
