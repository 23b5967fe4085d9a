"""Date polls without pages: which times are best, time zones, and choosing a time making
exactly one meeting of the set, with its calendar entry and reminders."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Meeting, MeetingFormat
from revans.polls import services
from revans.polls.models import MAX_SLOTS, Answer, Poll, Slot
from revans.polls.slots import Tally, best, problems, ranked
from revans.sets.models import Membership, Role

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2027, 1, 4, 9, 0, tzinfo=LONDON)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what the services queue for after the commit (e-mails, reminders)."""
    return django_capture_on_commit_callbacks


def at(days: int, hour: int = 10) -> datetime:
    """``days`` from now at ``hour`` in London, to the minute."""
    day = (timezone.now() + timedelta(days=days)).astimezone(LONDON).date()
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def one_hour() -> MeetingFormat:
    return MeetingFormat.objects.shipped().get(slug="one_hour")


def make_poll(world, user=None, starts=None, **fields) -> Poll:
    defaults = {
        "title": "Meeting 3",
        "note": "",
        "duration_minutes": 60,
        "meeting_format": one_hour(),
        "zone": "Europe/London",
    }
    return services.do_create_poll(
        world.aurora,
        user or world.mo,
        starts if starts is not None else [at(10), at(11, 14), at(12)],
        **{**defaults, **fields},
    )


# Ranking (pure)


def tally(key, yes=0, maybe=0, no=0, day=1) -> Tally:
    return Tally(key, NOW + timedelta(days=day), yes, maybe, no)


def test_most_yes_wins_then_most_if_need_be_then_the_earliest():
    tallies = [
        tally(1, yes=2, maybe=3, day=1),
        tally(2, yes=3, maybe=0, day=2),
        tally(3, yes=2, maybe=4, day=3),
        tally(4, yes=3, maybe=0, day=4),
    ]
    assert [t.key for t in ranked(tallies)] == [2, 4, 3, 1]
    assert [t.key for t in best(tallies)] == [2, 4]  # a tie shares the top place


def test_no_time_is_best_before_anyone_can_come():
    assert best([tally(1, no=2), tally(2)]) == []
    assert best([]) == []


def test_problems_name_each_kind_of_bad_list():
    assert problems([], NOW) == ["Propose at least one time."]
    assert problems([NOW - timedelta(hours=1)], NOW) == ["Every time must be in the future."]
    later = NOW + timedelta(days=1)
    assert problems([later, later], NOW) == ["The same time is proposed twice."]
    many = [NOW + timedelta(days=k + 1) for k in range(MAX_SLOTS + 1)]
    assert problems(many, NOW) == [f"Propose at most {MAX_SLOTS} times."]
    assert problems(many[:MAX_SLOTS], NOW) == []


# Proposing


def test_a_member_proposes_and_everyone_else_who_answers_is_asked(world, mailoutbox, committed):
    with committed(execute=True):
        poll = make_poll(world)
    assert poll.status == Poll.Status.OPEN
    assert poll.slots.count() == 3
    # fran (facilitator) is asked; mo proposed; obi observes; pam manages, not in the set.
    assert [m.to for m in mailoutbox] == [["fran@example.org"]]
    body = mailoutbox[0].body
    assert "Europe/London" in body
    assert reverse("poll_detail", args=[poll.pk]) in body
    assert "/polls/answer/" in body


def test_the_e_mail_lists_the_times_in_the_recipients_own_zone(world, mailoutbox, committed):
    world.fran.time_zone = "America/New_York"
    world.fran.save()
    with committed(execute=True):
        make_poll(world, starts=[at(10, 14)])
    start = at(10, 14).astimezone(NEW_YORK)
    assert f"{start:%H:%M}" in mailoutbox[0].body
    assert "America/New York" in mailoutbox[0].body


@pytest.mark.parametrize(
    "starts, message",
    [
        ("none", "Propose at least one time."),
        ("past", "Every time must be in the future."),
        ("twice", "The same time is proposed twice."),
        ("many", f"Propose at most {MAX_SLOTS} times."),
    ],
)
def test_bad_times_save_nothing(world, mailoutbox, committed, starts, message):
    starts = {
        "none": [],
        "past": [at(3), timezone.now() - timedelta(hours=1)],
        "twice": [at(3), at(3)],
        "many": [at(k + 1) for k in range(MAX_SLOTS + 1)],
    }[starts]
    with committed(execute=True), pytest.raises(ValidationError) as error:
        make_poll(world, starts=starts)
    assert message in error.value.messages
    assert not Poll.objects.exists() and not Slot.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("who", ["obi", "pam", "nia", "oli"])
def test_only_facilitators_and_members_propose(world, who):
    with pytest.raises(ValidationError):
        make_poll(world, user=getattr(world, who))
    assert not Poll.objects.exists()


def test_polls_are_seen_by_the_people_in_the_set_only(world):
    poll = make_poll(world)
    for who in ("mo", "fran", "obi"):
        assert list(Poll.objects.visible_to(getattr(world, who))) == [poll]
        assert Slot.objects.visible_to(getattr(world, who)).count() == 3
    for who in ("pam", "nia", "oli", "gus"):
        assert not Poll.objects.visible_to(getattr(world, who)).exists()
        assert not Slot.objects.visible_to(getattr(world, who)).exists()


# Answering


def test_answers_replace_earlier_ones(world):
    poll = make_poll(world)
    first, second, _ = poll.slots.all()
    services.do_answer(poll, world.fran, {first.pk: "yes", second.pk: "no"})
    services.do_answer(poll, world.fran, {second.pk: "if_need_be"})
    mine = dict(Answer.objects.filter(user=world.fran).values_list("slot_id", "choice"))
    assert mine == {first.pk: "yes", second.pk: "if_need_be"}


def test_someone_in_another_zone_answers_the_same_instant(world):
    """fran in New York sees 05:00 for a 10:00 London slot; her answer is for that instant."""
    world.fran.time_zone = "America/New_York"
    world.fran.save()
    poll = make_poll(world, starts=[at(10)])
    slot = poll.slots.get()
    client = Client()
    client.force_login(world.fran)
    page = client.get(reverse("poll_detail", args=[poll.pk])).content.decode()
    assert f"{at(10).astimezone(NEW_YORK):%H:%M}" in page
    assert "America/New York" in page
    client.post(reverse("poll_answer", args=[poll.pk]), {f"slot-{slot.pk}": "yes"})
    answer = Answer.objects.get(user=world.fran)
    assert answer.slot.starts_at == at(10)


@pytest.mark.parametrize(
    "who, choices, message",
    [
        ("nia", "first:yes", "Only the set's facilitators and members answer its polls."),
        ("obi", "first:yes", "Only the set's facilitators and members answer its polls."),
        ("oli", "first:yes", "Only the set's facilitators and members answer its polls."),
        ("fran", "other:yes", "That time is not one of this poll's."),
        ("fran", "first:maybe", "Answer each time yes, if need be or no."),
        ("fran", "", "Answer at least one of the times."),
    ],
)
def test_bad_answers_save_nothing(world, who, choices, message):
    poll = make_poll(world)
    other = make_poll(world, starts=[at(20)])
    keys = {"first": poll.slots.first().pk, "other": other.slots.get().pk}
    parsed = dict(c.split(":") for c in choices.split(",") if c)
    with pytest.raises(ValidationError) as error:
        services.do_answer(poll, getattr(world, who), {keys[k]: v for k, v in parsed.items()})
    assert error.value.messages == [message]
    assert not Answer.objects.exists()


def test_a_closed_poll_takes_no_answers(world):
    poll = make_poll(world)
    assert services.do_close(poll, world.fran)
    with pytest.raises(ValidationError, match="closed"):
        services.do_answer(poll, world.fran, {poll.slots.first().pk: "yes"})
    assert not services.do_close(poll, world.fran)  # closing twice: nothing changes


# Choosing


def test_choosing_makes_exactly_one_meeting_and_closes_the_poll(world, mailoutbox, committed):
    poll = make_poll(world, starts=[at(2, 15), at(9)])
    slot = poll.slots.get(starts_at=at(2, 15))
    with committed(execute=True):
        meeting, made = services.do_choose(poll, slot.pk, world.fran)
    assert made
    assert meeting.set == world.aurora
    assert meeting.starts_at == at(2, 15)
    assert meeting.duration_minutes == 60 and meeting.format == one_hour()
    assert meeting.time_zone == "Europe/London" and meeting.place == "Town Hall"
    assert meeting.number == 1 and meeting.status == Meeting.Status.SCHEDULED
    poll.refresh_from_db()
    assert (poll.status, poll.chosen_slot, poll.meeting) == (Poll.Status.CHOSEN, slot, meeting)
    # Its reminder (three days before, so due at once) went out as for every meeting...
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at is not None
    # ...and the set heard of the choice (everyone but fran, observers too).
    chosen = [m for m in mailoutbox if "meets" in m.subject and "Reminder" not in m.subject]
    told = sorted(a for m in mailoutbox if "from the poll" in m.body for a in m.to)
    assert told == ["mo@example.org", "obi@example.org"], [m.subject for m in chosen]
    # It is in the set's calendar feed.
    feed = Client().get(reverse("calendar_feed", args=[world.mo.calendar_token]))
    assert str(meeting.uid) in feed.content.decode()


def test_choosing_twice_makes_no_second_meeting(world):
    poll = make_poll(world)
    slot = poll.slots.first()
    meeting, made = services.do_choose(poll, slot.pk, world.fran)
    again, made_again = services.do_choose(poll, slot.pk, world.fran)
    assert (again, made, made_again) == (meeting, True, False)
    assert Meeting.objects.filter(set=world.aurora).count() == 1
    with pytest.raises(ValidationError, match="already been chosen"):
        services.do_choose(poll, poll.slots.last().pk, world.fran)
    assert Meeting.objects.filter(set=world.aurora).count() == 1


def test_a_slot_of_another_poll_cannot_be_chosen(world):
    poll = make_poll(world)
    other = make_poll(world, starts=[at(30)])
    with pytest.raises(ValidationError, match="not one of this poll's"):
        services.do_choose(poll, other.slots.get().pk, world.fran)
    assert not Meeting.objects.exists()
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN


def test_a_time_gone_by_cannot_be_chosen(world):
    poll = make_poll(world)
    slot = poll.slots.first()
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="passed"):
        services.do_choose(poll, slot.pk, world.fran)
    assert not Meeting.objects.exists()


def test_the_proposer_or_whoever_chairs_decides(world):
    poll = make_poll(world, user=world.mo)
    other = make_poll(world, user=world.fran)
    with pytest.raises(ValidationError):
        services.do_choose(
            other, other.slots.first().pk, world.mo
        )  # mo neither chairs nor proposed
    with pytest.raises(ValidationError):
        services.do_close(other, world.obi)
    assert services.do_close(poll, world.mo)  # mo proposed it
    # In a self-facilitated set any member chairs.
    world.aurora.self_facilitated = True
    world.aurora.save()
    _meeting, made = services.do_choose(other, other.slots.first().pk, world.mo)
    assert made


def test_someone_who_left_the_set_no_longer_counts(world):
    poll = make_poll(world)
    slot = poll.slots.first()
    services.do_answer(poll, world.mo, {slot.pk: "yes"})
    Membership.objects.filter(user=world.mo, set=world.aurora).update(role=Role.OBSERVER)
    from revans.polls.board import board_for

    board = board_for(poll, world.fran)
    assert [r.user for r in board.rows] == [world.fran]
    assert board.columns[0].tally.yes == 0
