"""The practice record counted from Revans' own meetings (facilitated, self-run, co-facilitated,
peer sets, training days, observed practice) beside the person's own entries, in a fixed
number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from revans.development.models import DayAttendance, Observation, PracticeEntry, TrainingDay
from revans.development.record import practice_record, profile_line
from revans.meetings.models import Attendance, Meeting
from revans.meetings.testing import make_meeting
from revans.sets.models import Membership, Role, Set


def closed(set_, number, days, minutes=60, **fields) -> Meeting:
    meeting = make_meeting(set_, number, days=days, **fields)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED, duration_minutes=minutes
    )
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def history(facilitators):
    """tina: Kestrel's practice meeting (1 h), a self-run one she missed and one she came to
    (1 h), Osprey co-facilitated with fran (1.5 h), a scheduled and a cancelled meeting; a peer
    set she came to once (2 h) and missed once; a training day she came to (6 h) and one she
    sent apologies for; she observed tara; her own entries."""
    f = facilitators
    kestrel = f.kestrel
    closed(kestrel, 2, -10, facilitated=False)  # run without her
    came = closed(kestrel, 3, -9, facilitated=False)
    Attendance.objects.create(meeting=came, user=f.tina, status="present")
    make_meeting(kestrel, 4, days=5)  # still to come
    cancelled = make_meeting(kestrel, 5, days=-3)
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    osprey = Set.objects.create(name="Osprey", status="active", place="Room 2")
    Membership.objects.create(set=osprey, user=f.tina, role=Role.FACILITATOR)
    Membership.objects.create(set=osprey, user=f.world.fran, role=Role.FACILITATOR)
    closed(osprey, 1, -5, minutes=90)
    peers = Set.objects.create(name="Peers", status="active", place="Café", peer_set=True)
    Membership.objects.create(set=peers, user=f.tina)
    present = closed(peers, 1, -20, minutes=120)
    Attendance.objects.create(meeting=present, user=f.tina, status="present")
    absent = closed(peers, 2, -6, minutes=120)
    Attendance.objects.create(meeting=absent, user=f.tina, status="apologies")
    now = timezone.now()
    day = TrainingDay.objects.create(
        programme=f.programme, title="Day 1: the method", starts_at=now - timedelta(days=30)
    )
    missed = TrainingDay.objects.create(
        programme=f.programme, title="Day 2", starts_at=now - timedelta(days=15)
    )
    DayAttendance.objects.create(day=day, user=f.tina, status="present")
    DayAttendance.objects.create(day=missed, user=f.tina, status="apologies")
    Observation.objects.create(
        meeting=f.practice,
        trainee=f.tara,
        observer=f.tina,
        went_well="Words that stay between them",
        written_at=now,
    )
    today = timezone.localdate()
    for kind, hours, title, days in (
        ("practice", 3, "Acme Ltd", 40),
        ("supervision", 1, "Sam Supervisor", 12),
        ("cpd", 2, "Action Learning conference", 400),
    ):
        PracticeEntry.objects.create(
            user=f.tina, kind=kind, hours=hours, title=title, on=today - timedelta(days=days)
        )
    PracticeEntry.objects.create(user=f.tara, hours=5, title="Tara's client", on=today)
    return f


def test_the_record_counts_what_she_facilitated_and_leaves_out_what_ran_without_her(history):
    record = practice_record(history.tina)
    assert [(m.set_name, m.number, m.hours, m.co_facilitated) for m in record.facilitated] == [
        ("Kestrel", 3, Decimal("1.00"), False),
        ("Osprey", 1, Decimal("1.50"), True),
        ("Kestrel", 1, Decimal("1.00"), False),
    ]
    assert record.facilitated[2].programme == "Facilitating Action Learning"
    assert record.facilitated[1].programme == ""
    assert (record.sets_facilitated, record.meetings_facilitated, record.co_facilitated) == (
        2,
        3,
        1,
    )
    assert record.revans_hours == Decimal("3.5")


def test_peer_sets_count_as_supervision_and_training_days_as_cpd(history):
    record = practice_record(history.tina)
    assert [(m.set_name, m.number, m.hours) for m in record.peer_meetings] == [
        ("Peers", 1, Decimal("2.00"))
    ]
    assert [(d.title, d.programme, d.hours) for d in record.training_days] == [
        ("Day 1: the method", "Facilitating Action Learning", Decimal("6"))
    ]
    assert record.facilitation_hours == Decimal("6.5")  # 3.5 in Revans, 3 at Acme
    assert record.supervision_hours == Decimal("3")  # Sam, and the peer set
    assert record.cpd_hours == Decimal("8")  # the conference, and day 1


def test_observed_practice_is_counted_for_both_without_the_feedback(history):
    tina, tara = practice_record(history.tina), practice_record(history.tara)
    assert (tina.observed, tina.observing, tara.observed, tara.observing) == (0, 1, 1, 0)
    assert tina.observations[0].what == "Observing Tara"
    assert tara.observations[0].what == "Observed by Tina"
    assert tara.observations[0].feedback_written
    lines = "".join(str(line) for line in tara.lines())
    assert "Words that stay" not in lines
    assert "Tara's client" in lines


def test_the_record_is_only_the_persons_own(history):
    theo = practice_record(history.theo)
    assert theo.is_empty
    tina = practice_record(history.tina)
    assert "Tara's client" not in {e.title for e in tina.entries}


def test_a_peer_set_she_facilitates_counts_as_facilitation_once(history):
    peers = Set.objects.get(name="Peers")
    Membership.objects.filter(set=peers, user=history.tina).update(role=Role.FACILITATOR)
    record = practice_record(history.tina)
    assert "Peers" in {m.set_name for m in record.facilitated}
    assert record.peer_meetings == []


def test_a_period_applies_to_every_part(history):
    today = timezone.localdate()
    record = practice_record(history.tina, today - timedelta(days=14), today)
    assert [m.set_name for m in record.facilitated] == ["Kestrel", "Osprey", "Kestrel"]
    assert record.peer_meetings == [] and record.training_days == []
    assert [e.title for e in record.entries] == ["Sam Supervisor"]
    record = practice_record(history.tina, end=today - timedelta(days=35))
    assert record.facilitated == [] and len(record.training_days) == 0
    assert {e.title for e in record.entries} == {"Acme Ltd", "Action Learning conference"}


def test_every_line_in_date_order(history):
    lines = practice_record(history.tina).lines()
    assert [line.on for line in lines] == sorted(line.on for line in lines)
    kinds = {line.kind for line in lines}
    assert kinds == {
        "Facilitation (Revans)",
        "Supervision (peer set)",
        "Observed practice",
        "CPD (training day)",
        "Facilitation elsewhere",
        "Supervision",
        "CPD",
    }


def test_the_record_takes_six_queries_however_long_the_history(history, django_assert_num_queries):
    with django_assert_num_queries(6):
        practice_record(history.tina)
    for n in range(6, 26):
        meeting = closed(history.kestrel, n, -30 - n)
        Observation.objects.create(meeting=meeting, trainee=history.theo, observer=history.tina)
        PracticeEntry.objects.create(
            user=history.tina, hours=1, title=f"Client {n}", on=timezone.localdate()
        )
    with django_assert_num_queries(6):
        record = practice_record(history.tina)
    assert record.meetings_facilitated == 23 and record.observing == 21


def test_the_profile_line(facilitators):
    tina = facilitators.tina
    assert profile_line(tina) == ""
    tina.facilitator_training = "qualified"
    tina.qualification = "ILM Level 5 Certificate in Action Learning"
    tina.qualified_on = "2025-06-30"
    tina.facilitator_basis = "external"
    tina.save()
    tina.refresh_from_db()
    assert profile_line(tina) == (
        "Qualified facilitator: ILM Level 5 Certificate in Action Learning, 30 June 2025"
        " · External facilitator"
    )
    tina.facilitator_training = "trained"
    tina.facilitator_basis = "internal"
    assert profile_line(tina) == "Trained facilitator · Internal facilitator"


def test_the_record_reads_nothing_said_in_a_set(history):
    """Dates, hours, counts and names only: no summary, no apology note, no feedback."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        practice_record(history.tina)
    selected = " ".join(q["sql"].split(" FROM ")[0] for q in queries.captured_queries)
    for column in ("summary", "went_well", "opening_questions", "interventions", "try_next"):
        assert f'"{column}"' not in selected, column
    assert '"meetings_attendance"."note"' not in selected


def change(set_, person, kind, role, at, old_role=""):
    from revans.sets.models import MembershipChange

    MembershipChange.objects.create(
        set=set_,
        person=person,
        person_name=str(person),
        kind=kind,
        role=role,
        old_role=old_role,
        at=at,
    )


def test_a_set_she_handed_over_counts_while_she_facilitated_it(history):
    """Osprey: tina facilitated it, then left (20 days ago a meeting she ran, 5 days ago one
    fran ran alone after she left 10 days ago)."""
    f = history
    now = timezone.now()
    osprey = Set.objects.get(name="Osprey")
    closed(osprey, 2, -20, minutes=120)
    change(osprey, f.tina, "joined", Role.FACILITATOR, now - timedelta(days=60))
    Membership.objects.filter(set=osprey, user=f.tina).delete()
    change(osprey, f.tina, "left", Role.FACILITATOR, now - timedelta(days=10))
    record = practice_record(f.tina)
    assert [(m.set_name, m.number) for m in record.facilitated if m.set_name == "Osprey"] == [
        ("Osprey", 2)
    ]
    assert record.facilitated[0].hours == Decimal("2.00")


def test_a_set_where_she_became_a_member_counts_only_while_she_facilitated(history):
    f = history
    now = timezone.now()
    kestrel = f.kestrel
    # tina facilitated Kestrel until 6 days ago, then stayed on as a member; before her
    # stint (from 12 days ago), meeting 6 was run by someone else.
    closed(kestrel, 6, -15)
    change(kestrel, f.tina, "joined", Role.FACILITATOR, now - timedelta(days=12))
    change(kestrel, f.tina, "role", Role.MEMBER, now - timedelta(days=6), Role.FACILITATOR)
    Membership.objects.filter(set=kestrel, user=f.tina).update(role=Role.MEMBER)
    numbers = [m.number for m in practice_record(f.tina).facilitated if m.set_name == "Kestrel"]
    assert numbers == [3]  # 2 ran without her; 6 before her time; 1 after she stopped


def test_leaving_a_set_she_only_sat_in_counts_nothing(history):
    f = history
    now = timezone.now()
    peers = Set.objects.get(name="Peers")
    change(peers, f.tina, "joined", Role.MEMBER, now - timedelta(days=60))
    Membership.objects.filter(set=peers, user=f.tina).delete()
    change(peers, f.tina, "left", Role.MEMBER, now - timedelta(days=1))
    record = practice_record(f.tina)
    assert "Peers" not in {m.set_name for m in record.facilitated}
    assert [m.set_name for m in record.peer_meetings] == ["Peers"]  # she came, as a member
