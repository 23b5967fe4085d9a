"""Retention: a programme's managers set how long what was said in a closed set's meetings is
kept; then a task deletes the room's record and the questions' words, leaving the summaries'
counts and everyone's own learning log, and the set page says when."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from revans.actions.models import Action
from revans.journal.models import Entry, Log
from revans.journal.reflect import own_contributions
from revans.meetings import insight
from revans.meetings.models import (
    Bid,
    Meeting,
    PracticeQuestion,
    Question,
    ReviewNote,
    Room,
    RoomEvent,
    RoomPresence,
    RuleProposal,
    Technique,
)
from revans.meetings.room.summary import build_summary, summary_markdown, summary_pdf
from revans.meetings.room.techniques import new_canvas
from revans.meetings.testing import make_meeting
from revans.programmes.models import Programme
from revans.programmes.retention import (
    RUN_EVERY,
    add_months,
    do_purge_set,
    due_set_ids,
    purge_due_at,
    purge_expired,
    purge_expired_sets,
)
from revans.sets.models import Set

from .test_programmes import VALID

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SAID = "What would success look like for the two teams?"


def held_meeting(set_, world, number=1, events=5, days=-420):
    """A closed meeting of ``set_`` with something of every kind said in its room."""
    meeting = make_meeting(set_, number=number, days=days, status=Meeting.Status.CLOSED)
    Room.objects.create(meeting=meeting, presenters=[world.mo.pk], seq=events)
    RoomEvent.objects.bulk_create(
        RoomEvent(meeting=meeting, seq=seq, kind="question", payload={"text": SAID})
        for seq in range(1, events + 1)
    )
    RoomPresence.objects.create(
        meeting=meeting, user=world.fran, channel_name=f"c{meeting.pk}", seen_at=timezone.now()
    )
    Question.objects.create(
        meeting=meeting,
        presenter=world.mo,
        asker=world.fran,
        text=SAID,
        label="open",
        powerful=True,
    )
    # Asked before the coach labelled questions in the room: labelled from its words.
    Question.objects.create(
        meeting=meeting, presenter=world.mo, asker=world.obi, text="Have you tried a rota?"
    )
    Bid.objects.create(meeting=meeting, user=world.mo, headline="Two teams, one rota")
    ReviewNote.objects.create(meeting=meeting, author=world.fran, text="We rushed the end")
    RuleProposal.objects.create(meeting=meeting, author=world.mo, text="Cameras on", status="kept")
    PracticeQuestion.objects.create(
        meeting=meeting, asker=world.mo, scenario="x", text="Who else knows?", label="open"
    )
    Technique.objects.create(
        meeting=meeting,
        presenter=world.mo,
        kind="force_field",
        data={
            "title": "Merging rotas",
            "items": [{"id": 1, "zone": "for", "text": "Goodwill", "score": 3}],
            "scores": {},
            "next_id": 2,
        },
    )
    Action.objects.create(
        set=set_, owner=world.mo, text="Talk to both team leads", committed_in=meeting
    )
    meeting.summary = build_summary(meeting)
    meeting.save(update_fields=["summary"])
    return meeting


def close(set_, months_ago: int):
    set_.status = Set.Status.CLOSED
    set_.save()
    set_.refresh_from_db()
    assert set_.closed_at is not None
    Set.objects.filter(pk=set_.pk).update(closed_at=add_months(timezone.now(), -months_ago))
    set_.refresh_from_db()


@pytest.fixture
def expired(world):
    """Aurora: closed 13 months ago in a programme keeping what was said for 12."""
    meeting = held_meeting(world.aurora, world)
    close(world.aurora, 13)
    log = Log.objects.create(owner=world.mo, title="My year")
    Entry.objects.create(log=log, body=f"I asked: {SAID}", meeting=meeting)
    return meeting


# The setting ----------------------------------------------------------------------------------


def test_a_new_programme_keeps_what_was_said_for_twelve_months(world):
    response = world.client(world.nia).get(reverse("programme_create"))
    assert response.context["form"].initial["retention_months"] == 12
    assert "How long after a set closes" in response.content.decode()
    data = {**VALID, "sponsor": world.council.pk}
    assert world.client(world.nia).post(reverse("programme_create"), data).status_code == 302
    assert Programme.objects.get(name="Leading Together").retention_months == 12


def test_a_manager_changes_the_retention(world):
    url = reverse("programme_edit", args=[world.programme.pk])
    data = {**VALID, "sponsor": world.council.pk, "retention_months": "36"}
    assert world.client(world.pam).post(url, data).status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.retention_months == 36


def test_a_form_without_the_setting_keeps_the_programmes(world):
    world.programme.retention_months = 30
    world.programme.save()
    url = reverse("programme_edit", args=[world.programme.pk])
    assert (
        world.client(world.pam).post(url, {**VALID, "sponsor": world.council.pk}).status_code == 302
    )
    world.programme.refresh_from_db()
    assert world.programme.retention_months == 30


@pytest.mark.parametrize("value", ["0", "-3", "twelve", "121", "99999999999999", "1.5", "\x00"])
def test_a_wrong_retention_is_refused_with_a_clear_message_and_nothing_saved(world, value):
    url = reverse("programme_edit", args=[world.programme.pk])
    data = {**VALID, "sponsor": world.council.pk, "retention_months": value, "name": "Renamed"}
    response = world.client(world.pam).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["retention_months"] == [
        "Keep what was said for 1 to 120 months (10 years)."
    ]
    world.programme.refresh_from_db()
    assert world.programme.retention_months == 12 and world.programme.name == "Leading Change"


@pytest.mark.parametrize("who", ["fran", "mo", "obi", "gus", "nia"])
def test_only_the_programmes_managers_may_change_the_retention(world, who):
    url = reverse("programme_edit", args=[world.programme.pk])
    data = {**VALID, "sponsor": world.council.pk, "retention_months": "1"}
    client = world.client(getattr(world, who))
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    world.programme.refresh_from_db()
    assert world.programme.retention_months == 12


# Closing a set --------------------------------------------------------------------------------


def test_closing_a_set_records_when_and_reopening_clears_it(world):
    url = reverse("set_edit", args=[world.aurora.pk])
    data = {
        "name": "Aurora",
        "programme": world.programme.pk,
        "mode": "in_person",
        "place": "Town Hall",
        "status": "closed",
        "reminder_days": "3",
    }
    before = timezone.now()
    assert world.client(world.pam).post(url, data).status_code == 302
    world.aurora.refresh_from_db()
    assert world.aurora.closed_at is not None and world.aurora.closed_at >= before
    assert purge_due_at(world.aurora) == add_months(world.aurora.closed_at, 12)
    assert world.client(world.pam).post(url, {**data, "status": "active"}).status_code == 302
    world.aurora.refresh_from_db()
    assert world.aurora.closed_at is None and purge_due_at(world.aurora) is None


def test_months_are_calendar_months_and_the_31st_becomes_the_end_of_a_shorter_month():
    moment = datetime(2027, 1, 31, 9, 30, tzinfo=UTC)
    assert add_months(moment, 1) == datetime(2027, 2, 28, 9, 30, tzinfo=UTC)
    assert add_months(moment, 13) == datetime(2028, 2, 29, 9, 30, tzinfo=UTC)
    assert add_months(moment, -2) == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    assert add_months(moment, 120) == datetime(2037, 1, 31, 9, 30, tzinfo=UTC)


# The task -------------------------------------------------------------------------------------


def test_the_task_deletes_what_was_said_and_keeps_the_counts_and_the_logs(world, expired):
    mix_before = insight.for_set(world.aurora, world.fran).total.as_dict()
    counts_before = {k: expired.summary[k] for k in ("questions", "powerful", "question_mix")}
    assert purge_expired_sets.enqueue().return_value == 1

    world.aurora.refresh_from_db()
    assert world.aurora.content_purged_at is not None and world.aurora.content_purged
    assert not RoomEvent.objects.filter(meeting=expired).exists()
    assert not RoomPresence.objects.filter(meeting=expired).exists()
    questions = Question.objects.filter(meeting=expired)
    assert questions.count() == 2 and set(questions.values_list("text", flat=True)) == {""}
    # The old question kept the label the coach gave it from its words.
    assert set(questions.values_list("label", flat=True)) == {"open", "advice"}
    assert questions.filter(powerful=True).count() == 1
    assert not PracticeQuestion.objects.exclude(text="").exists()
    assert PracticeQuestion.objects.get().label == "open"
    assert RuleProposal.objects.get().text == "" and ReviewNote.objects.get().text == ""
    assert Technique.objects.get().data == new_canvas()
    assert Bid.objects.get().headline == ""

    expired.refresh_from_db()
    summary = expired.summary
    assert {k: summary[k] for k in counts_before} == counts_before
    assert summary["presenters"][0]["questions"] == 2
    assert summary["presenters"][0]["headline"] == ""
    assert summary["review"] == [] and summary["techniques"] == []
    assert SAID not in str(summary) and "Goodwill" not in str(summary)
    assert insight.for_set(world.aurora, world.fran).total.as_dict() == mix_before

    # What is not the room's stays: actions, issues, ground rules, attendance, the log.
    assert Action.objects.get().text == "Talk to both team leads"
    assert world.mo_issue.description == "Rotas are still booked separately."
    assert Entry.objects.get().body == f"I asked: {SAID}"
    assert Room.objects.filter(meeting=expired).exists()


def test_a_second_run_changes_nothing(world, expired):
    assert purge_expired_sets.enqueue().return_value == 1
    world.aurora.refresh_from_db()
    first = world.aurora.content_purged_at
    summary = Meeting.objects.get(pk=expired.pk).summary
    assert purge_expired_sets.enqueue().return_value == 0
    assert do_purge_set(world.aurora.pk, timezone.now()) is None
    world.aurora.refresh_from_db()
    assert world.aurora.content_purged_at == first
    assert Meeting.objects.get(pk=expired.pk).summary == summary


def test_nothing_goes_from_a_set_within_its_retention_or_still_open(world):
    within = held_meeting(world.aurora, world)
    close(world.aurora, 11)
    still_open = held_meeting(world.beacon, world, days=-800)  # met long ago, never closed
    assert purge_expired() == {}
    for meeting in (within, still_open):
        assert RoomEvent.objects.filter(meeting=meeting).count() == 5
        assert Question.objects.filter(meeting=meeting, text=SAID).exists()
        assert "purged_on" not in Meeting.objects.get(pk=meeting.pk).summary
    world.aurora.refresh_from_db()
    assert world.aurora.content_purged_at is None


def test_the_programmes_setting_decides_and_a_set_outside_a_programme_keeps_twelve_months(world):
    world.programme.retention_months = 24
    world.programme.save()
    held_meeting(world.aurora, world)
    close(world.aurora, 13)  # within the programme's 24 months
    alone = Set.objects.create(name="Solo", place="Library", status="active")
    held_meeting(alone, world)
    close(alone, 12)  # a set outside a programme: 12 months, just over
    assert due_set_ids(timezone.now()) == [alone.pk]
    assert list(purge_expired()) == [alone.pk]
    world.programme.retention_months = 1
    world.programme.save()
    assert list(purge_expired()) == [world.aurora.pk]


def test_a_reopened_set_is_not_purged_and_one_reclosed_after_a_purge_is_purged_again(
    world, expired
):
    purge_expired()
    world.aurora.refresh_from_db()
    world.aurora.status = Set.Status.ACTIVE
    world.aurora.save()
    later = held_meeting(world.aurora, world, number=2, days=-1)
    assert purge_expired() == {}
    assert RoomEvent.objects.filter(meeting=later).count() == 5
    # As if the purge was long ago: the set closes again, and its new retention runs out.
    Set.objects.filter(pk=world.aurora.pk).update(content_purged_at=add_months(timezone.now(), -20))
    world.aurora.refresh_from_db()
    close(world.aurora, 13)
    assert list(purge_expired()) == [world.aurora.pk]
    assert not RoomEvent.objects.filter(meeting=later).exists()


def test_the_task_runs_a_bounded_number_of_queries_however_many_events(world):
    """Guards against N+1 over events: one statement per kind of row, whatever their number."""

    def queries_for(set_, events: int) -> int:
        held_meeting(set_, world, events=events)
        held_meeting(set_, world, number=2, events=events)
        close(set_, 13)
        with CaptureQueriesContext(connection) as captured:
            assert do_purge_set(set_.pk, timezone.now()) is not None
        return len(captured)

    few = queries_for(world.aurora, 3)
    many = queries_for(world.beacon, 1500)
    assert many == few
    assert few <= 20
    assert RoomEvent.objects.count() == 0


def test_the_command_lists_what_would_go_with_dry_run_then_deletes_it(world, expired):
    out = StringIO()
    call_command("purge_closed_sets", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"Set {world.aurora.pk} “Aurora”" in text
    assert "5 room events" in text and "2 questions' words" in text
    assert "1 set due; nothing deleted." in text
    assert RoomEvent.objects.count() == 5
    out = StringIO()
    call_command("purge_closed_sets", stdout=out)
    assert "Deleted what was said in 1 set." in out.getvalue()
    assert RoomEvent.objects.count() == 0
    out = StringIO()
    call_command("purge_closed_sets", "--dry-run", stdout=out)
    assert "0 sets due; nothing deleted." in out.getvalue()


def test_the_sweep_runs_the_purge(world, expired):
    from revans.site.server import sweep

    sweep()
    world.aurora.refresh_from_db()
    assert world.aurora.content_purged_at is not None


def test_the_set_closed_before_the_field_existed_counts_from_its_last_meetings_end(world):
    """The data migration's rule (meetings 0008), run on today's models."""
    import importlib

    from django.apps import apps

    fill = importlib.import_module("revans.meetings.migrations.0008_fill_sets_closed_at").fill
    last = make_meeting(world.aurora, number=2, days=-30)
    make_meeting(world.aurora, number=3, days=-10, status=Meeting.Status.CANCELLED)
    make_meeting(world.aurora, number=1, days=-60)
    created = timezone.now() - timedelta(days=90)
    Set.objects.filter(pk=world.aurora.pk).update(
        status="closed", closed_at=None, created_at=created
    )
    Set.objects.filter(pk=world.beacon.pk).update(status="closed", closed_at=None)
    fill(apps, None)
    world.aurora.refresh_from_db()
    world.beacon.refresh_from_db()
    assert world.aurora.closed_at == last.ends_at
    assert world.beacon.closed_at == world.beacon.created_at


# The pages ------------------------------------------------------------------------------------


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("who", ["fran", "mo", "obi", "pam"])
def test_the_set_page_says_when_what_was_said_will_be_deleted(world, who):
    close(world.aurora, 0)
    day = timezone.localtime(purge_due_at(world.aurora))
    html = _text(world.client(getattr(world, who)).get(world.aurora.get_absolute_url()))
    assert (
        f"What was said in this set’s meetings will be deleted on {day.day} "
        f"{day:%B} {day.year}, 12 months after the set closed (the programme’s setting)."
    ) in html


def test_the_set_page_says_when_it_was_deleted(world, expired):
    purge_expired()
    world.aurora.refresh_from_db()
    day = timezone.localtime(world.aurora.content_purged_at)
    html = _text(world.client(world.mo).get(world.aurora.get_absolute_url()))
    assert (
        f"What was said in this set’s meetings was deleted on {day.day} {day:%B} {day.year}, "
        "12 months after the set closed (the programme’s setting)."
    ) in html


def test_an_open_set_says_how_long_and_a_set_outside_a_programme_names_the_rule(world):
    html = _text(world.client(world.mo).get(world.aurora.get_absolute_url()))
    assert (
        "What is said in this set’s meetings is kept until 12 months after the set closes "
        "(the programme’s setting), then deleted."
    ) in html
    alone = Set.objects.create(name="Solo", place="Library", status="active")
    alone.memberships.create(user=world.mo, role="facilitator")
    html = _text(world.client(world.mo).get(alone.get_absolute_url()))
    assert "(Revans’ rule for sets outside a programme)" in html


def test_a_purged_meetings_pages_and_files_still_open_and_say_the_words_were_deleted(
    world, expired
):
    purge_expired()
    client = world.client(world.mo)
    html = _text(client.get(expired.get_absolute_url()))
    assert (
        "was deleted on" in html
        and "The counts, the attendance and the members’ actions remain." in html
    )
    assert "2 asked, 1 marked powerful." in html and SAID not in html
    assert "Talk to both team leads" in html  # actions are the members' own
    room = _text(client.get(reverse("meeting_room", args=[expired.pk])))
    assert "What was said in this meeting was deleted on" in room
    questioning = _text(client.get(reverse("set_questioning", args=[world.aurora.pk])))
    assert "The questions’ words were deleted on" in questioning and SAID not in questioning
    assert "Their words were deleted with the rest of what was said." in questioning
    expired.refresh_from_db()
    assert "was deleted on" in summary_markdown(expired)
    assert summary_pdf(expired).startswith(b"%PDF")
    for name in ("meeting_summary_md", "meeting_summary_pdf", "meeting_reflect"):
        assert client.get(reverse(name, args=[expired.pk])).status_code == 200
    # Mo presented: her canvas, emptied, brings nothing into her log, not even its heading.
    assert own_contributions(world.mo, expired).techniques == []
    assert (
        world.client(world.fran).get(reverse("meeting_reflect", args=[expired.pk])).status_code
        == 200
    )


def test_a_page_read_never_purges_and_says_the_content_is_being_deleted(world, expired):
    day = timezone.localtime(purge_due_at(world.aurora))
    html = _text(world.client(world.mo).get(world.aurora.get_absolute_url()))
    assert (
        f"What was said in this set’s meetings was kept until {day.day} {day:%B} {day.year}, "
        "12 months after the set closed (the programme’s setting), and is being deleted."
    ) in html
    assert RoomEvent.objects.filter(meeting=expired).count() == 5


def test_with_a_worker_the_task_queues_one_run_a_day(world):
    with override_settings(TASKS=DATABASE_TASKS):
        before = timezone.now()
        assert purge_expired_sets.call() == 0
        purge_expired_sets.call()
    waiting = DBTaskResult.objects.get()  # one chain, however often it runs or workers start
    assert waiting.task_path == purge_expired_sets.module_path
    assert before + RUN_EVERY <= waiting.run_after <= timezone.now() + RUN_EVERY


def test_the_date_follows_the_programme_setting_as_it_changes(world):
    close(world.aurora, 0)
    first = purge_due_at(world.aurora)
    world.programme.retention_months = 6
    world.programme.save()
    world.aurora.refresh_from_db()
    assert purge_due_at(world.aurora) == add_months(world.aurora.closed_at, 6)
    assert purge_due_at(world.aurora) < first - timedelta(days=150)


def test_a_room_behind_a_deleted_record_takes_a_fresh_snapshot(world, expired):
    from revans.meetings.room.services import missed_events

    assert len(missed_events(expired, 2)) == 3
    purge_expired()
    assert missed_events(expired, 2) is None
    assert missed_events(expired, 5) == []  # up to date: nothing was missed


def test_the_admin_shows_an_operator_when_a_set_closed_and_was_purged(world, expired):
    from revans.site.testing import make_person

    purge_expired()
    operator = make_person("ops", is_staff=True, is_superuser=True)
    response = world.client(operator).get(reverse("admin:sets_set_change", args=[world.aurora.pk]))
    html = _text(response)
    assert "Closed at" in html and "Content purged at" in html
