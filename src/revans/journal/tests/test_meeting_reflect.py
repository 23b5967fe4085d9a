"""From the meeting to the log: the prompt to reflect, and "Add to my log" with only one's own
contributions (architecture.md §4)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from revans.actions.models import Action
from revans.journal.models import Entry, Log
from revans.meetings.models import Attendance, Bid, Meeting, Question, ReviewNote, Room
from revans.meetings.room.summary import build_summary, send_summary
from revans.sets.models import Membership

from .conftest import make_entry, make_log, make_meeting


@pytest.fixture
def meeting(world):
    """Aurora's closed meeting 2: mo and pia each presented, asked, committed and reported."""
    world.pia = type(world.mo).objects.create_user(
        email="pia@example.org", password="a-long-test-password", display_name="Pia"
    )
    Membership.objects.create(set=world.aurora, user=world.pia)
    earlier = make_meeting(world.aurora, 1, days=-50, status=Meeting.Status.CLOSED)
    meeting = make_meeting(world.aurora, 2, days=-7, status=Meeting.Status.CLOSED)
    Room.objects.create(meeting=meeting, presenters=[world.mo.pk, world.pia.pk])
    Bid.objects.create(meeting=meeting, user=world.mo, headline="Two teams, one rota")
    Bid.objects.create(meeting=meeting, user=world.pia, headline="Pia's secret headline")

    def ask(presenter, asker, text, powerful=False):
        Question.objects.create(
            meeting=meeting, presenter=presenter, asker=asker, text=text, powerful=powerful
        )

    ask(world.mo, world.pia, "What would one service look like on Monday?", powerful=True)
    ask(world.mo, world.fran, "Which question are you avoiding?")
    ask(world.pia, world.mo, "Mo asks: what is yours to change?")
    ask(world.pia, world.fran, "Fran's powerful question in Pia's airtime", powerful=True)
    ask(world.pia, world.obi, "Obi's question to Pia")

    def act(owner, text, committed_in, **fields):
        return Action.objects.create(
            set=world.aurora, owner=owner, text=text, committed_in=committed_in, **fields
        )

    act(world.mo, "Meet both team leaders together", meeting)
    act(world.pia, "Pia's own action", meeting)
    act(world.mo, "Ask HR about induction", earlier, status="done", report_note="Mo's note: a pilot",
        reported_in=meeting)  # fmt: skip
    act(world.pia, "Pia's old action", earlier, status="partly",
        report_note="Pia's private note", reported_in=meeting)  # fmt: skip
    ReviewNote.objects.create(meeting=meeting, author=world.pia, text="Pia's review note")
    Meeting.objects.filter(pk=meeting.pk).update(summary=build_summary(meeting))
    meeting.refresh_from_db()
    return meeting


def add_to_log(client, meeting, log="new"):
    return client.post(reverse("meeting_reflect", args=[meeting.pk]), {"log": log})


def test_the_draft_holds_mos_own_contributions_and_nobody_elses(world, meeting):
    response = add_to_log(world.client(world.mo), meeting)
    entry = Entry.objects.get(log__owner=world.mo)
    assert response["Location"] == reverse("entry_edit", args=[entry.pk])
    body = entry.body
    for mine in (
        "Two teams, one rota",
        "Meet both team leaders together",
        "Ask HR about induction (done): Mo's note: a pilot",
        "Mo asks: what is yours to change?",
        "I marked 1 question in my airtime as powerful. The words stay in the set",
    ):
        assert mine in body
    for theirs in (
        "Pia",
        "Which question are you avoiding?",
        "What would one service look like on Monday?",  # Pia's words, though mo marked it
        "Obi's question",
    ):
        assert theirs not in body  # Pia's actions, notes, headline, review; others' questions
    assert entry.draft and entry.meeting == meeting and entry.prompt_set == "after-a-meeting"
    assert "## What did I learn?" in body and "## What did I notice about my questions?" in body


def test_powerful_questions_in_ones_own_airtime_are_counted_without_their_words(world, meeting):
    add_to_log(world.client(world.pia), meeting)
    body = Entry.objects.get(log__owner=world.pia).body
    assert "I marked 1 question in my airtime as powerful" in body
    assert "Fran's powerful question" not in body and "Obi's question" not in body
    assert "What would one service look like on Monday?" in body  # pia asked it herself
    assert "Meet both team leaders" not in body and "Mo's note" not in body
    assert "Mo asks" not in body and "Two teams, one rota" not in body


def test_someone_with_no_log_gets_a_new_set_journal(world, meeting):
    add_to_log(world.client(world.mo), meeting)
    log = Log.objects.get(owner=world.mo)
    assert log.title == "My set journal" and log.template == "set-journal"


def test_a_new_log_beside_an_existing_set_journal_gets_a_distinct_title(world, meeting):
    mine = make_log(world.mo, title="My set journal")
    make_log(world.mo, title="my set journal (2)")
    client = world.client(world.mo)
    html = client.get(reverse("meeting_reflect", args=[meeting.pk])).text
    assert "A new log: “My set journal (3)”" in html
    assert "A new log: “My set journal”" not in html
    response = add_to_log(client, meeting)
    entry = Entry.objects.get(log__owner=world.mo)
    assert entry.log != mine and entry.log.title == "My set journal (3)"
    assert response.status_code == 302 and not mine.entries.exists()


def test_the_entry_goes_into_the_chosen_log(world, meeting):
    log = make_log(world.mo)
    add_to_log(world.client(world.mo), meeting, log=str(log.pk))
    assert Log.objects.filter(owner=world.mo).count() == 1
    assert log.entries.get().meeting == meeting


def test_someone_elses_log_cannot_be_chosen(world, meeting):
    frans = make_log(world.fran)
    response = add_to_log(world.client(world.mo), meeting, log=str(frans.pk))
    assert response.status_code == 400
    assert "Choose one of your logs" in response.content.decode()
    assert not Entry.objects.exists() and not Log.objects.filter(owner=world.mo).exists()


def test_the_page_lists_only_counts_of_ones_own_contributions(world, meeting):
    html = world.client(world.mo).get(reverse("meeting_reflect", args=[meeting.pk])).text
    assert "1 action you committed to" in html
    assert "1 question you found powerful (a count: the questions others asked you stay" in html
    assert "Pia" not in html and "What would one service" not in html


@pytest.mark.parametrize("who", ["pam", "nia", "oli"])
def test_a_manager_or_stranger_gets_404(world, meeting, who):
    client = world.client(getattr(world, who))
    assert client.get(reverse("meeting_reflect", args=[meeting.pk])).status_code == 404
    assert add_to_log(client, meeting).status_code == 404
    assert not Entry.objects.exists()


def test_a_meeting_not_yet_closed_gets_a_clear_message(world):
    upcoming = make_meeting(world.aurora, 3, days=7)
    client = world.client(world.mo)
    response = client.get(reverse("meeting_reflect", args=[upcoming.pk]))
    assert "is not closed yet" in response.text
    response = add_to_log(client, upcoming)
    assert response.status_code == 400 and "is not closed yet" in response.text
    assert not Entry.objects.exists() and not Log.objects.exists()


def test_a_missing_meeting_gets_404(world):
    assert world.client(world.mo).get(reverse("meeting_reflect", args=[999])).status_code == 404


def test_the_dashboard_asks_to_reflect_until_an_entry_links_the_meeting(world, meeting):
    client = world.client(world.mo)
    url = reverse("meeting_reflect", args=[meeting.pk])
    assert "Reflect on meeting 2 of Aurora" in client.get(reverse("dashboard")).text
    assert url in client.get(meeting.get_absolute_url()).text
    make_entry(make_log(world.mo), meeting=meeting)
    assert "Reflect on meeting" not in client.get(reverse("dashboard")).text
    assert url not in client.get(meeting.get_absolute_url()).text


def test_only_people_who_attended_recent_closed_meetings_are_asked(world, meeting):
    Attendance.objects.create(meeting=meeting, user=world.obi, status="apologies")
    old = make_meeting(world.aurora, 9, days=-90, status=Meeting.Status.CLOSED)
    assert "Reflect on meeting 2" in world.client(world.fran).get(reverse("dashboard")).text
    assert "Reflect on meeting" not in world.client(world.obi).get(reverse("dashboard")).text
    assert f"Reflect on meeting {old.number}" not in world.client(world.mo).get("/dashboard/").text
    # The programme's manager sees the meeting's page, never the prompt.
    page = world.client(world.pam).get(meeting.get_absolute_url()).text
    assert "Add to my log" not in page


def test_the_summary_email_invites_each_person_to_reflect(world, meeting):
    send_summary(meeting.pk)
    (message,) = mail.outbox
    link = reverse("meeting_reflect", args=[meeting.pk])
    assert link in message.body and "Reflect on the meeting in your learning log" in message.body
    assert world.pam.email not in message.to


def test_a_closed_meeting_long_ago_can_still_be_added_from_its_link(world):
    old = make_meeting(world.aurora, 1, days=-200, status=Meeting.Status.CLOSED)
    add_to_log(world.client(world.mo), old)
    entry = Entry.objects.get()
    assert entry.entry_date == timezone.localdate(old.starts_at)
    assert entry.entry_date <= timezone.localdate() - timedelta(days=199)


def edit_entry(client, entry, **fields):
    data = {
        "title": entry.title,
        "entry_date": entry.entry_date.isoformat(),
        "section": entry.section,
        "meeting": str(entry.meeting_id or ""),
        "tags": "",
        "prompt_set": entry.prompt_set,
        "body": entry.body,
        "keep_draft": "1",
        **fields,
    }
    return client.post(reverse("entry_edit", args=[entry.pk]), data)


def selected_meeting(html: str) -> str:
    select = html.split('name="meeting"', 1)[1].split("</select>", 1)[0]
    return select.split(" selected", 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("days", [1, 30, -200], ids=["closed-early", "dated-ahead", "long-ago"])
def test_the_entry_keeps_its_meeting_whatever_the_meetings_date(world, days):
    """A meeting can be held (and closed) before its planned time: the entry made from it links
    it, the editor shows the link, and saving the entry keeps it."""
    held = make_meeting(world.aurora, 1, days=days, status=Meeting.Status.CLOSED)
    client = world.client(world.mo)
    add_to_log(client, held)
    entry = Entry.objects.get()
    assert entry.meeting == held
    html = client.get(reverse("entry_edit", args=[entry.pk])).text
    assert selected_meeting(html) == str(held.pk)
    assert edit_entry(client, entry, title="After the meeting").status_code == 302
    entry.refresh_from_db()
    assert entry.meeting == held and entry.title == "After the meeting"
    assert f'value="{held.pk}"' in client.get(reverse("entry_create", args=[entry.log_id])).text


def test_a_meeting_still_to_come_cannot_be_linked_by_hand(world):
    upcoming = make_meeting(world.aurora, 1, days=7)
    log = make_log(world.mo)
    entry = make_entry(log)
    response = edit_entry(world.client(world.mo), entry, meeting=str(upcoming.pk))
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.meeting is None


def test_another_sets_meeting_cannot_be_linked(world):
    beacons = make_meeting(world.beacon, 1, days=-3, status=Meeting.Status.CLOSED)
    entry = make_entry(make_log(world.mo))
    response = edit_entry(world.client(world.mo), entry, meeting=str(beacons.pk))
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.meeting is None


def test_a_facilitator_is_not_asked_about_a_meeting_her_set_ran_itself(world, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(facilitated=False)
    assert "Reflect on meeting 2" not in world.client(world.fran).get(reverse("dashboard")).text
    assert "Reflect on meeting 2" in world.client(world.mo).get(reverse("dashboard")).text
    # Unless she was there after all.
    Attendance.objects.create(meeting=meeting, user=world.fran, status="present")
    assert "Reflect on meeting 2" in world.client(world.fran).get(reverse("dashboard")).text


# --- the facilitator's draft: the set's figures and their own chairing, no member's words ------


@pytest.fixture
def chaired(world, meeting):
    """Meeting 2 as fran chaired it: attendance, time in each phase, her moves and a hand-over."""
    from revans.meetings.models import RoomEvent

    for person, status in ((world.mo, "present"), (world.pia, "apologies")):
        Attendance.objects.create(meeting=meeting, user=person, status=status)
    Room.objects.filter(meeting=meeting).update(
        stage_elapsed={
            "check_in": 290,
            f"report_back:{world.mo.pk}": 400,
            f"report_back:{world.pia.pk}": 320,
            f"airtime:{world.mo.pk}:questions": 1500,
            "process_review": 420,
        }
    )
    for seq, (kind, actor) in enumerate(
        [("advance", world.fran)] * 4
        + [("go_to", world.fran), ("back", world.fran), ("hand_over", world.fran)]
        + [("advance", world.mo)],
        start=1,
    ):
        RoomEvent.objects.create(meeting=meeting, seq=seq, kind=kind, actor=actor)
    return meeting


def test_the_facilitators_draft_holds_the_sets_figures_and_her_chairing(world, chaired):
    page = world.client(world.fran).get(reverse("meeting_reflect", args=[chaired.pk]))
    assert "Learning Log Questions for facilitators" in page.text
    assert "1 of 2 members present" in page.text

    add_to_log(world.client(world.fran), chaired)
    entry = Entry.objects.get(log__owner=world.fran)
    assert entry.prompt_set == "after-a-meeting-facilitator" and entry.draft
    body = entry.body
    for expected in (
        "## How did I prepare the set and myself?",
        "- Attendance: 1 of 2 members present, 1 sent apologies.",
        "- Questions captured: 5: 2 open, 1 closed, 2 not a question (67% open).",
        "- Actions: 2 report-backs (1 done, 1 partly done); 2 new actions committed.",
        "## What did I learn about my facilitation?",
        "- Time in each phase: Check-in 5 min, Report-back 12 min, Airtime 25 min, "
        "Process review 7 min (planned: 60 min).",
        "- I moved the meeting on or back 6 times and handed the chair over once.",
        "- Which question are you avoiding?",  # her own question
        "- Fran's powerful question in Pia's airtime",
    ):
        assert expected in body, (expected, body)
    # Counts only: no member's words, no member's name.
    for theirs in (
        "Pia",
        "Mo asks",
        "What would one service look like",
        "Meet both team leaders",
        "Mo's note",
        "Two teams, one rota",
        "review note",
        "Obi's question",
    ):
        assert theirs not in body.replace("Fran's powerful question in Pia's airtime", "")


def test_a_member_still_gets_the_members_questions(world, chaired):
    add_to_log(world.client(world.mo), chaired)
    assert Entry.objects.get(log__owner=world.mo).prompt_set == "after-a-meeting"


def test_a_facilitator_with_nothing_recorded_gets_the_questions_and_empty_figures(world):
    bare = make_meeting(world.aurora, 5, days=-3, status=Meeting.Status.CLOSED)
    add_to_log(world.client(world.fran), bare)
    body = Entry.objects.get(log__owner=world.fran).body
    assert "Attendance was not recorded." in body
    assert "No questions were captured in the room." in body
    assert "0 report-backs; 0 new actions committed." in body
