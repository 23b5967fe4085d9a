"""Reminders: when they fall due, who gets them, what they say, and that each goes out once.

Most tests pass a fixed ``now`` to ``send_reminders_due_at``; the ones that go through the
services, the task queue or the worker use meetings placed relative to the real clock.
"""

import signal
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from revans.meetings import reminders
from revans.meetings.models import Meeting, MeetingFormat
from revans.meetings.reminders import (
    before_due_at,
    morning_due_at,
    queue_for,
    send_due_reminders,
    send_reminders_due_at,
)
from revans.meetings.services import do_cancel_meeting, do_change_meeting

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Tuesday 12 January 2027, 10:00 in London (GMT, so also 10:00 UTC).
START = datetime(2027, 1, 12, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def morning_at_seven(settings):
    settings.REMINDER_MORNING_HOUR = 7


def make_meeting(world, starts_at=START, *, set_=None, number=2, **fields) -> Meeting:
    fields.setdefault("time_zone", "Europe/London")
    fields.setdefault("place", "Town Hall, room 4")
    return Meeting.objects.create(
        set=set_ or world.aurora,
        number=number,
        starts_at=starts_at,
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
        **fields,
    )


def recipients_of(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


AURORA = ["fran@example.org", "mo@example.org", "obi@example.org"]


# When


def test_the_before_reminder_falls_due_reminder_days_before_the_start(world, mailoutbox):
    meeting = make_meeting(world)
    assert send_reminders_due_at(START - timedelta(days=3, seconds=1)) == 0
    assert send_reminders_due_at(START - timedelta(days=3)) == 3
    assert recipients_of(mailoutbox) == AURORA
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at == START - timedelta(days=3)
    assert meeting.morning_reminder_sent_at is None


def test_the_sets_own_reminder_days_are_used(world, mailoutbox):
    world.aurora.reminder_days = 7
    world.aurora.save()
    make_meeting(world)
    assert send_reminders_due_at(START - timedelta(days=7, seconds=1)) == 0
    assert send_reminders_due_at(START - timedelta(days=7)) == 3


def test_the_before_reminder_keeps_the_wall_clock_time_across_a_change_of_clocks(world):
    # The clocks go forward on Sunday 28 March 2027: 10:00 BST on the 30th is 09:00 UTC, and
    # three days earlier 10:00 GMT is 10:00 UTC.
    meeting = make_meeting(world, datetime(2027, 3, 30, 10, 0, tzinfo=LONDON))
    assert before_due_at(meeting) == datetime(2027, 3, 27, 10, 0, tzinfo=UTC)


def test_a_reminder_is_sent_once(world, mailoutbox):
    make_meeting(world)
    now = START - timedelta(days=2)
    assert send_reminders_due_at(now) == 3
    assert send_reminders_due_at(now + timedelta(hours=1)) == 0
    assert len(mailoutbox) == 3


def test_the_morning_reminder_falls_due_at_the_morning_hour_in_the_meetings_zone(world, mailoutbox):
    # 10:00 in New York is 15:00 UTC; its morning reminder is due at 07:00 there, 12:00 UTC.
    start = datetime(2027, 1, 12, 10, 0, tzinfo=NEW_YORK)
    meeting = make_meeting(world, start, time_zone="America/New_York")
    Meeting.objects.filter(pk=meeting.pk).update(reminder_sent_at=start - timedelta(days=3))
    assert morning_due_at(meeting) == datetime(2027, 1, 12, 12, 0, tzinfo=UTC)
    assert send_reminders_due_at(datetime(2027, 1, 12, 11, 59, tzinfo=UTC)) == 0
    assert send_reminders_due_at(datetime(2027, 1, 12, 12, 0, tzinfo=UTC)) == 3
    meeting.refresh_from_db()
    assert meeting.morning_reminder_sent_at == datetime(2027, 1, 12, 12, 0, tzinfo=UTC)


def test_the_morning_hour_comes_from_the_settings(world, settings):
    settings.REMINDER_MORNING_HOUR = 8
    meeting = make_meeting(world)
    assert morning_due_at(meeting) == datetime(2027, 1, 12, 8, 0, tzinfo=LONDON)


def test_a_meeting_before_the_morning_hour_is_reminded_an_hour_before_it_starts(world):
    meeting = make_meeting(world, datetime(2027, 1, 12, 6, 30, tzinfo=LONDON))
    assert morning_due_at(meeting) == datetime(2027, 1, 12, 5, 30, tzinfo=LONDON)


def test_nothing_is_sent_once_the_meeting_has_started(world, mailoutbox):
    meeting = make_meeting(world)
    assert send_reminders_due_at(START) == 0
    assert send_reminders_due_at(START + timedelta(minutes=5)) == 0
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at is None
    assert meeting.morning_reminder_sent_at is None


def test_when_both_are_due_only_the_morning_one_goes_and_both_are_marked(world, mailoutbox):
    meeting = make_meeting(world)
    now = datetime(2027, 1, 12, 8, 0, tzinfo=LONDON)  # the worker was down for days
    assert send_reminders_due_at(now) == 3
    assert recipients_of(mailoutbox) == AURORA
    assert all("today" in message.subject for message in mailoutbox)
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at == now
    assert meeting.morning_reminder_sent_at == now
    assert send_reminders_due_at(now + timedelta(minutes=30)) == 0


def test_before_and_morning_reminders_are_two_emails(world, mailoutbox):
    make_meeting(world)
    assert send_reminders_due_at(START - timedelta(days=3)) == 3
    assert send_reminders_due_at(datetime(2027, 1, 12, 7, 0, tzinfo=LONDON)) == 3
    assert [m.subject for m in mailoutbox[::3]] == [
        "[Revans] Aurora meets on Tuesday 12 January at 10:00",
        "[Revans] Aurora meets today at 10:00",
    ]


@pytest.mark.parametrize(
    "status", [Meeting.Status.CANCELLED, Meeting.Status.LIVE, Meeting.Status.CLOSED]
)
def test_only_scheduled_meetings_are_reminded(world, mailoutbox, status):
    make_meeting(world, status=status)
    assert send_reminders_due_at(START - timedelta(days=1)) == 0
    assert send_reminders_due_at(START - timedelta(hours=1)) == 0
    assert mailoutbox == []


def test_meetings_far_ahead_are_not_reminded(world, mailoutbox):
    make_meeting(world)
    assert send_reminders_due_at(START - timedelta(days=20)) == 0


# Who


def test_people_who_turned_reminders_off_and_inactive_people_get_none(world, mailoutbox):
    world.mo.reminders = False
    world.mo.save()
    world.obi.is_active = False
    world.obi.save()
    make_meeting(world)
    assert send_reminders_due_at(START - timedelta(days=2)) == 1
    assert recipients_of(mailoutbox) == ["fran@example.org"]


def test_only_the_people_in_the_set_are_reminded(world, mailoutbox):
    make_meeting(world, set_=world.beacon, place="", video_link="https://meet.jit.si/beacon")
    send_reminders_due_at(START - timedelta(days=2))
    assert recipients_of(mailoutbox) == ["gus@example.org", "oli@example.org"]


# What


def test_the_reminder_gives_date_place_length_and_links(world, mailoutbox):
    meeting = make_meeting(world)
    send_reminders_due_at(START - timedelta(days=3))
    (message,) = [m for m in mailoutbox if m.to == ["mo@example.org"]]
    assert message.subject == "[Revans] Aurora meets on Tuesday 12 January at 10:00"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert "Tuesday 12 January 2027" in body
        assert "10:00–11:00" in body
        assert "1 hour" in body
        assert "Town Hall, room 4" in body
        assert f"http://127.0.0.1:8000/meetings/{meeting.pk}/" in body
        assert "http://127.0.0.1:8000/me/" in body
        assert "turn them off" in body
        assert "first meeting" not in body
        # Open actions to report back on come with the actions feature; until then, nothing.
        assert "action" not in body.lower()
    assert '<html lang="en-GB">' in html
    assert "<h1" in html and "<h2" in html


def test_the_site_address_comes_from_the_settings(world, mailoutbox, settings):
    settings.SITE_URL = "https://revans.example.org"
    meeting = make_meeting(world)
    send_reminders_due_at(START - timedelta(days=3))
    assert f"https://revans.example.org/meetings/{meeting.pk}/" in mailoutbox[0].body


def test_an_online_meeting_has_the_video_link_as_a_button(world, mailoutbox):
    make_meeting(world, set_=world.beacon, place="", video_link="https://meet.jit.si/beacon")
    send_reminders_due_at(START - timedelta(days=3))
    message = mailoutbox[0]
    assert "Video call: https://meet.jit.si/beacon" in message.body
    assert "Where:" not in message.body
    html = message.alternatives[0][0]
    assert '<a href="https://meet.jit.si/beacon"' in html
    assert "Join the video call" in html


def test_the_first_meeting_says_it_is_the_taster_with_ground_rules(world, mailoutbox):
    make_meeting(world, number=1)
    send_reminders_due_at(START - timedelta(days=3))
    message = mailoutbox[0]
    for body in (message.body, message.alternatives[0][0]):
        assert "first meeting" in body
        assert "taster" in body
        assert "ground rules" in body


def test_each_person_reads_the_time_in_their_own_time_zone(world, mailoutbox):
    world.mo.time_zone = "America/New_York"
    world.mo.save()
    make_meeting(world)
    send_reminders_due_at(START - timedelta(days=3))
    (message,) = [m for m in mailoutbox if m.to == ["mo@example.org"]]
    assert message.subject == "[Revans] Aurora meets on Tuesday 12 January at 05:00"
    assert "05:00–06:00 (America/New York time)" in message.body
    assert "That is 10:00 in Europe/London, the set’s time zone" in message.body
    (frans,) = [m for m in mailoutbox if m.to == ["fran@example.org"]]
    assert "10:00–11:00 (Europe/London time)" in frans.body
    assert "That is" not in frans.body


# Changes


def test_a_moved_meeting_is_reminded_again(world, mailoutbox, django_capture_on_commit_callbacks):
    soon = timezone.now().replace(microsecond=0) + timedelta(days=2)
    meeting = make_meeting(world, soon)
    send_due_reminders.call()
    assert len(mailoutbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        do_change_meeting(meeting, starts_at=soon + timedelta(days=1))
    # The immediate backend ran the sweep that queue_for enqueued, on commit.
    assert recipients_of(mailoutbox[3:]) == AURORA
    assert "meets on" in mailoutbox[3].subject


def test_a_cancelled_meeting_is_not_reminded(world, mailoutbox):
    meeting = make_meeting(world, timezone.now() + timedelta(days=2))
    do_cancel_meeting(meeting)
    send_due_reminders.call()
    assert mailoutbox == []


def test_queue_for_defers_a_run_to_each_due_time(world):
    start = timezone.now().replace(microsecond=0) + timedelta(days=5)
    meeting = make_meeting(world, start)
    with override_settings(TASKS=DATABASE_TASKS):
        queue_for([meeting.pk])
    assert sorted(DBTaskResult.objects.values_list("run_after", flat=True)) == [
        before_due_at(meeting),
        morning_due_at(meeting),
    ]


def test_queue_for_runs_at_once_what_is_already_due(world):
    meeting = make_meeting(world, timezone.now() + timedelta(days=1))
    with override_settings(TASKS=DATABASE_TASKS):
        queue_for([meeting.pk])
    assert DBTaskResult.objects.count() == 2
    assert DBTaskResult.objects.ready().count() == 1  # the "before" one; the morning one waits


# Concurrency and the worker


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_reminder_once(world, mailoutbox, monkeypatch):
    make_meeting(world, timezone.now() + timedelta(days=2))
    # Both workers must have read the meeting as due before either claims it.
    both_read = threading.Barrier(2, timeout=10)
    claim = reminders._claim

    def claim_together(*args):
        both_read.wait()
        return claim(*args)

    monkeypatch.setattr(reminders, "_claim", claim_together)
    sent, errors = [], []

    def worker():
        from django.db import connection

        try:
            sent.append(send_due_reminders.call())
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(sent) == [0, 3]
    assert recipients_of(mailoutbox) == AURORA


@pytest.fixture
def keep_signal_handlers():
    """db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    names = [name for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)]
    saved = {name: signal.getsignal(getattr(signal, name)) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_due_reminders_once(world, mailoutbox, keep_signal_handlers):
    meeting = make_meeting(world, timezone.now() + timedelta(days=2))
    with override_settings(TASKS=DATABASE_TASKS):
        call_command("worker", "--batch", verbosity=0)
        assert recipients_of(mailoutbox) == AURORA
        call_command("worker", "--batch", verbosity=0)
    assert len(mailoutbox) == 3
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at is not None
    # Everything ran, but tomorrow's run of the retention sweep, queued once for a later day.
    waiting = DBTaskResult.objects.exclude(status="SUCCESSFUL")
    assert [(task.task_path, task.status) for task in waiting] == [
        ("revans.programmes.retention.purge_expired_sets", "READY")
    ]
    assert waiting.get().run_after > timezone.now() + timedelta(hours=12)


def test_the_worker_refuses_to_run_with_immediate_tasks(db):
    with pytest.raises(CommandError, match="REVANS_TASKS=immediate"):
        call_command("worker", "--batch")


def test_facilitators_are_not_reminded_of_a_meeting_the_set_runs_itself(world, mailoutbox):
    make_meeting(world, facilitated=False)
    assert send_reminders_due_at(START - timedelta(days=3)) == 2
    assert recipients_of(mailoutbox) == ["mo@example.org", "obi@example.org"]
