"""The live room: its state machine through services, and its WebSocket consumer."""

import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from revans.actions.models import Action
from revans.asgi import application
from revans.meetings.models import (
    Bid,
    Meeting,
    MeetingFormat,
    Question,
    ReviewNote,
    Room,
    RoomEvent,
)
from revans.meetings.room import services
from revans.meetings.room.services import Refused, apply, close_overdue, open_room
from revans.sets.models import GroundRulesAgreement, Membership


def make_meeting(world, days=0, minutes=60, number=2):
    return Meeting.objects.create(
        set=world.aurora,
        number=number,
        starts_at=timezone.now() + timedelta(days=days),
        time_zone="Europe/London",
        duration_minutes=minutes,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
    )


def give_mo_an_open_action(world) -> Action:
    """Mo reports back at meeting 2 (only members with actions get a report-back stage)."""
    earlier = make_meeting(world, days=-30, number=1)
    return Action.objects.create(
        set=world.aurora, owner=world.mo, text="Call Sam", committed_in=earlier
    )


@pytest.fixture
def meeting(world):
    give_mo_an_open_action(world)
    meeting = make_meeting(world)
    open_room(meeting)
    return meeting


def stage(meeting) -> str:
    return Room.objects.get(meeting=meeting).stage


def go(meeting, who, name, **args):
    return apply(meeting.pk, who, name, args)[0]


# --- the state machine through its commands -------------------------------------------------


def test_the_first_facilitator_takes_the_chair_and_the_clock_shows_check_in(world, meeting):
    room = Room.objects.get(meeting=meeting)
    assert room.chair == world.fran
    assert room.stage == "check_in"
    assert room.timer_seconds == 5 * 60 and room.timer_started_at is None


def test_every_phase_in_order_and_back_again(world, meeting):
    Action.objects.create(
        set=world.aurora,
        owner=world.mo,
        text="Call Sam",
        committed_in=make_meeting(world, days=-30, number=1),
    )
    go(meeting, world.fran, "advance")
    assert stage(meeting) == f"report_back:{world.mo.pk}"
    go(meeting, world.fran, "advance")
    assert stage(meeting) == "bidding"
    with pytest.raises(Refused, match="Choose the presenters"):
        go(meeting, world.fran, "advance")
    go(meeting, world.mo, "bid", headline="Two teams, one service")
    go(meeting, world.fran, "order_bids", presenters=[world.mo.pk])
    seen = []
    for _ in range(6):
        go(meeting, world.fran, "advance")
        seen.append(stage(meeting))
    assert seen == [
        f"airtime:{world.mo.pk}:present",
        f"airtime:{world.mo.pk}:questions",
        f"airtime:{world.mo.pk}:actions",
        f"airtime:{world.mo.pk}:reflection",
        "process_review",
        "summary",
    ]
    with pytest.raises(Refused, match="nowhere further"):
        go(meeting, world.fran, "advance")
    for expected in reversed(["check_in", f"report_back:{world.mo.pk}", "bidding", *seen[:-1]]):
        go(meeting, world.fran, "back")
        assert stage(meeting) == expected
    with pytest.raises(Refused):
        go(meeting, world.fran, "back")
    meeting.refresh_from_db()
    assert meeting.status == "live"


def test_entering_a_stage_starts_its_planned_minutes(world, meeting):
    go(meeting, world.fran, "advance")
    room = Room.objects.get(meeting=meeting)
    assert room.timer_seconds == 10 * 60  # report-back's ten minutes, one member
    assert room.timer_started_at is not None


def test_timer_pauses_restarts_and_takes_extra_minutes(world, meeting):
    go(meeting, world.fran, "timer_start")
    go(meeting, world.fran, "timer_pause")
    room = Room.objects.get(meeting=meeting)
    assert room.timer_started_at is None and room.timer_elapsed >= 0
    go(meeting, world.fran, "timer_add", minutes=5)
    assert Room.objects.get(meeting=meeting).timer_seconds == 10 * 60
    for bad in (0, 31, "5", True, None):
        with pytest.raises(Refused):
            go(meeting, world.fran, "timer_add", minutes=bad)


def test_only_the_chair_moves_the_meeting_on(world, meeting):
    with pytest.raises(Refused, match="Only the person in the chair"):
        go(meeting, world.mo, "advance")
    with pytest.raises(Refused, match="Observers"):
        go(meeting, world.obi, "advance")
    assert stage(meeting) == "check_in"
    assert RoomEvent.objects.count() == 0


def test_hand_over_and_take_back_the_chair(world, meeting):
    go(meeting, world.fran, "hand_over", user=world.mo.pk)
    go(meeting, world.mo, "advance")
    with pytest.raises(Refused):
        go(meeting, world.fran, "advance")
    with pytest.raises(Refused, match="Observers"):
        go(meeting, world.obi, "take_chair")
    go(meeting, world.fran, "take_chair")
    assert Room.objects.get(meeting=meeting).chair == world.fran
    with pytest.raises(Refused, match="not an observer"):
        go(meeting, world.fran, "hand_over", user=world.obi.pk)
    with pytest.raises(Refused):
        go(meeting, world.fran, "hand_over", user=world.oli.pk)


def test_in_a_self_facilitated_set_a_member_takes_the_chair(world, meeting):
    world.aurora.self_facilitated = True
    world.aurora.save()
    go(meeting, world.mo, "take_chair")
    go(meeting, world.mo, "advance")
    assert Room.objects.get(meeting=meeting).chair == world.mo


def test_the_same_message_twice_is_applied_once(world, meeting):
    first, first_repeated, _ = apply(meeting.pk, world.fran, "advance", {}, "msg-1")
    again, repeated, _ = apply(meeting.pk, world.fran, "advance", {}, "msg-1")
    assert first == again
    assert (first_repeated, repeated) == (False, True)
    assert RoomEvent.objects.count() == 1
    assert stage(meeting) == f"report_back:{world.mo.pk}"


def test_every_change_is_an_event_with_the_next_sequence_number(world, meeting):
    for name in ("timer_start", "timer_pause", "advance"):
        go(meeting, world.fran, name)
    assert list(RoomEvent.objects.values_list("seq", "kind")) == [
        (1, "timer_start"),
        (2, "timer_pause"),
        (3, "advance"),
    ]
    assert services.missed_events(meeting, 1)[0]["seq"] == 2
    assert services.missed_events(meeting, 99) is None


def test_at_the_first_meeting_members_agree_the_ground_rules_at_check_in(world, meeting):
    go(meeting, world.mo, "agree_rules", version=1)
    assert GroundRulesAgreement.objects.filter(user=world.mo).exists()
    with pytest.raises(Refused, match="changed"):
        go(meeting, world.mo, "agree_rules", version=7)


def test_report_back_marks_earlier_actions(world, meeting):
    earlier = make_meeting(world, days=-30, number=1)
    action = Action.objects.create(
        set=world.aurora, owner=world.mo, text="Call Sam", committed_in=earlier
    )
    go(meeting, world.fran, "advance")
    with pytest.raises(Refused, match="done, partly"):
        go(meeting, world.mo, "report_back", action=action.pk, status="maybe")
    go(meeting, world.mo, "report_back", action=action.pk, status="partly", note="Left a message")
    action.refresh_from_db()
    assert (action.status, action.report_note, action.reported_in) == (
        "partly",
        "Left a message",
        meeting,
    )


def test_bids_and_presenters(world, meeting):
    go(meeting, world.fran, "advance")
    go(meeting, world.fran, "advance")
    go(meeting, world.mo, "bid", headline="Two teams")
    assert Bid.objects.get().headline == "Two teams"
    with pytest.raises(Refused, match="members of the set"):
        go(meeting, world.fran, "order_bids", presenters=[world.oli.pk])
    with pytest.raises(Refused):
        go(meeting, world.fran, "order_bids", presenters="mo")
    go(meeting, world.fran, "order_bids", presenters=[world.mo.pk])
    room = Room.objects.get(meeting=meeting)
    assert room.presenters == [world.mo.pk] and room.presenter_minutes >= 5


def _to_airtime(world, meeting, step):
    go(meeting, world.fran, "advance")
    go(meeting, world.fran, "advance")
    go(meeting, world.fran, "order_bids", presenters=[world.mo.pk])
    for _ in range(["present", "questions", "actions", "reflection"].index(step) + 1):
        go(meeting, world.fran, "advance")


def test_questions_are_captured_and_the_presenter_marks_the_powerful_ones(world, meeting):
    _to_airtime(world, meeting, "questions")
    assert Room.objects.get(meeting=meeting).capture_questions
    go(meeting, world.fran, "question", text="What would success look like for you?")
    with pytest.raises(Refused, match="The presenter answers"):
        go(meeting, world.mo, "question", text="Me?")
    asked = Question.objects.get()
    with pytest.raises(Refused):
        go(meeting, world.fran, "mark_powerful", question=asked.pk)
    go(meeting, world.mo, "mark_powerful", question=asked.pk)
    assert Question.objects.get().powerful
    go(meeting, world.fran, "capture", on=False)
    with pytest.raises(Refused, match="turns it on"):
        go(meeting, world.fran, "question", text="Another?")


def test_actions_are_committed_by_the_presenter_and_come_back_next_time(world, meeting):
    _to_airtime(world, meeting, "actions")
    go(meeting, world.mo, "add_action", text="Meet both team leaders together")
    with pytest.raises(Refused):
        go(meeting, world.obi, "add_action", text="Not mine")
    action = Action.objects.get(committed_in=meeting)
    assert (action.owner, action.status) == (world.mo, "committed")
    nxt = make_meeting(world, days=30, number=3)
    room = open_room(nxt)
    state = services.snapshot(room)
    assert "Meet both team leaders together" in [a["text"] for a in state["actions"]]


def test_process_review_notes_and_what_the_set_will_change(world, meeting):
    Room.objects.filter(meeting=meeting).update(stage="process_review")
    go(meeting, world.mo, "review_note", text="Good questions today")
    with pytest.raises(Refused):
        go(meeting, world.mo, "review_note", text="We change", change=True)
    go(meeting, world.fran, "review_note", text="Fewer closed questions", change=True)
    assert list(ReviewNote.objects.values_list("change", flat=True)) == [False, True]


def test_closing_makes_the_summary_and_sends_it_to_the_set(
    world, meeting, django_capture_on_commit_callbacks
):
    _to_airtime(world, meeting, "actions")
    go(meeting, world.mo, "add_action", text="Meet both team leaders together")
    with django_capture_on_commit_callbacks(execute=True):
        go(meeting, world.fran, "close")
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    assert meeting.summary["committed"] == [
        {"owner": "Mo", "text": "Meet both team leaders together"}
    ]
    assert meeting.summary["presenters"][0]["name"] == "Mo"
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {world.fran.email, world.mo.email, world.obi.email}
    assert world.pam.email not in mail.outbox[0].to
    with pytest.raises(Refused, match="closed"):
        go(meeting, world.fran, "advance")


def test_meetings_left_open_close_themselves_after_the_grace_period(
    world, django_capture_on_commit_callbacks
):
    late = make_meeting(world, days=0)
    Meeting.objects.filter(pk=late.pk).update(
        starts_at=timezone.now() - timedelta(hours=3, minutes=1)
    )
    recent = make_meeting(world, days=0, number=3)
    Meeting.objects.filter(pk=recent.pk).update(
        starts_at=timezone.now() - timedelta(hours=2, minutes=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert close_overdue() == 1
        assert close_overdue() == 0
    late.refresh_from_db()
    recent.refresh_from_db()
    assert late.status == "closed" and late.summary is not None
    assert recent.status == "scheduled"
    assert len(mail.outbox) == 1


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, dict]]:
    """What ``services.broadcast`` hands the channel layer, in order."""
    sends: list[tuple[str, dict]] = []
    monkeypatch.setattr(services, "_send", lambda group, message: sends.append((group, message)))
    return sends


def test_an_event_is_broadcast_once_after_commit(
    world, meeting, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = go(meeting, world.fran, "timer_start")
        assert sent == []  # not before the commit
    assert sent == [(f"room-{meeting.pk}", {"type": "room.event", "text": json.dumps(event)})]


def test_a_rolled_back_command_is_never_broadcast(
    world, meeting, sent, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        go(meeting, world.fran, "timer_start")
        raise RuntimeError("the caller's transaction fails after the command")
    assert callbacks == [] and sent == []
    assert RoomEvent.objects.count() == 0


def test_a_repeated_message_is_not_broadcast_again(
    world, meeting, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        apply(meeting.pk, world.fran, "timer_start", {}, "m1")
        repeat = apply(meeting.pk, world.fran, "timer_start", {}, "m1")
    assert repeat.repeated and len(sent) == 1


def test_a_meeting_closed_by_the_clock_is_broadcast_like_a_command(
    world, sent, django_capture_on_commit_callbacks
):
    late = make_meeting(world)
    Meeting.objects.filter(pk=late.pk).update(starts_at=timezone.now() - timedelta(hours=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert close_overdue() == 1
    [(group, message)] = sent
    assert group == f"room-{late.pk}" and json.loads(message["text"])["kind"] == "auto_close"


def test_a_command_costs_a_fixed_number_of_queries(world, meeting):
    """Guards the path every command takes (bench/room_fanout.py): the room read and locked,
    one query about the sender (a repeat? in the set? attendance recorded?), the room saved,
    the event written, inside the command's savepoint here (a transaction outside tests)."""
    go(meeting, world.fran, "timer_start")  # the first command records Fran present
    with CaptureQueriesContext(connection) as queries:
        go(meeting, world.fran, "timer_add", minutes=1)
    assert len(queries) == 6, [q["sql"][:60] for q in queries]


def test_the_question_handler_returns_the_coachs_verdict_classifying_once(
    world, meeting, monkeypatch
):
    _to_airtime(world, meeting, "questions")
    calls = []
    classify = services.classify
    monkeypatch.setattr(services, "classify", lambda text: calls.append(text) or classify(text))
    applied = apply(meeting.pk, world.fran, "question", {"text": "Have you tried delegating it?"})
    assert applied.verdict.label == "advice" and calls == ["Have you tried delegating it?"]
    assert Question.objects.get().label == "advice"
    assert apply(meeting.pk, world.fran, "timer_pause", {}).verdict is None


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("nonsense", {}),
        ("timer_add", {"minutes": "ten"}),
        ("bid", {"headline": "x"}),
        ("question", {"text": ""}),
        # Found by tests/fuzz: ids past 64 bits raised OverflowError in the database lookup,
        # which closed the room socket.
        ("attendance", {"user": 2**64, "status": "present"}),
        ("hand_over", {"user": -(2**70)}),
    ],
)
def test_bad_commands_are_refused_and_write_nothing(world, meeting, name, args):
    with pytest.raises(Refused):
        go(meeting, world.fran, name, **args)
    assert RoomEvent.objects.count() == 0


# --- the room page -----------------------------------------------------------------------


def test_room_page_is_for_the_people_in_the_set_only(world, meeting):
    url = reverse("meeting_room", args=[meeting.pk])
    for person in (world.fran, world.mo, world.obi):
        assert world.client(person).get(url).status_code == 200
    for person in (world.pam, world.oli, world.nia):
        assert world.client(person).get(url).status_code == 404


# --- the WebSocket -----------------------------------------------------------------------


def cookie_for(world, user) -> str:
    client = world.client(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def connect(cookie, meeting_id):
    return WebsocketCommunicator(
        application,
        f"/ws/meetings/{meeting_id}/room/",
        headers=[
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
            (b"cookie", cookie.encode()),
        ],
    )


socket_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def next_message(communicator, timeout=1):
    """The next message other than presence (who is connected), which comes and goes."""
    while True:
        message = await communicator.receive_json_from(timeout)
        if message["type"] != "presence":
            return message


async def quiet(communicator, timeout=0.3) -> bool:
    """Nothing but presence arrives for ``timeout`` seconds."""
    while not await communicator.receive_nothing(timeout):
        if (await communicator.receive_json_from())["type"] != "presence":
            return False
    return True


@socket_db
def test_two_people_see_the_same_event_and_a_latecomer_catches_up(world):
    give_mo_an_open_action(world)
    meeting = make_meeting(world)
    fran_cookie, mo_cookie = cookie_for(world, world.fran), cookie_for(world, world.mo)

    async def run():
        fran, mo = connect(fran_cookie, meeting.pk), connect(mo_cookie, meeting.pk)
        assert (await fran.connect())[0] and (await mo.connect())[0]
        await fran.send_json_to({"type": "hello", "last_seq": None})
        await mo.send_json_to({"type": "hello", "last_seq": None})
        snapshots = [await next_message(fran), await next_message(mo)]
        await fran.send_json_to({"type": "command", "id": "a1", "name": "advance", "args": {}})
        events = [await next_message(fran, 2), await next_message(mo, 2)]
        await mo.disconnect()
        await fran.send_json_to(
            {"type": "command", "id": "a2", "name": "timer_add", "args": {"minutes": 2}}
        )
        await next_message(fran, 2)
        await fran.send_json_to(
            {"type": "command", "id": "a2", "name": "timer_add", "args": {"minutes": 2}}
        )
        repeat = await next_message(fran, 2)
        back = connect(mo_cookie, meeting.pk)
        await back.connect()
        await back.send_json_to({"type": "hello", "last_seq": events[1]["seq"]})
        missed = await next_message(back, 2)
        nothing_more = await quiet(back, 0.3)
        await fran.disconnect()
        await back.disconnect()
        return snapshots, events, repeat, missed, nothing_more

    snapshots, events, repeat, missed, nothing_more = async_to_sync(run)()
    assert [s["type"] for s in snapshots] == ["snapshot", "snapshot"]
    assert events[0] == events[1]
    assert events[0]["seq"] == 1 and events[0]["state"]["stage"]["phase"] == "report_back"
    assert repeat["seq"] == 2  # the repeated message is answered, not applied again
    assert missed["type"] == "event" and missed["seq"] == 2 and missed["kind"] == "timer_add"
    assert nothing_more
    assert Room.objects.get(meeting=meeting).seq == 2


@socket_db
def test_people_outside_the_set_are_refused_the_socket(world):
    meeting = make_meeting(world)
    cookies = [cookie_for(world, user) for user in (world.pam, world.oli)]
    mo_cookie = cookie_for(world, world.mo)

    async def run():
        codes = []
        for cookie in cookies:
            communicator = connect(cookie, meeting.pk)
            connected, code = await communicator.connect()
            codes.append((connected, code))
        anonymous = WebsocketCommunicator(
            application,
            f"/ws/meetings/{meeting.pk}/room/",
            headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
        )
        codes.append(await anonymous.connect())
        missing = connect(mo_cookie, 999999)
        codes.append(await missing.connect())
        return codes

    assert async_to_sync(run)() == [(False, 4404)] * 4


@socket_db
def test_bad_messages_get_an_error_frame_and_the_socket_stays_up(world):
    meeting = make_meeting(world)
    obi_cookie = cookie_for(world, world.obi)

    async def run():
        obi = connect(obi_cookie, meeting.pk)
        await obi.connect()
        replies = []
        for frame in (
            "not json",
            json.dumps([1, 2]),
            json.dumps({"type": "dance"}),
            json.dumps({"type": "command", "name": "advance", "meeting": meeting.pk + 1}),
            json.dumps({"type": "command", "name": "advance", "args": {}}),
            json.dumps({"type": "command", "name": "advance", "args": []}),
            json.dumps({"type": "hello", "last_seq": "x"}),
            "x" * 10000,
        ):
            await obi.send_to(text_data=frame)
            replies.append(await next_message(obi, 2))
        await obi.send_json_to({"type": "hello", "last_seq": None})
        still_up = await next_message(obi, 2)
        await obi.disconnect()
        return replies, still_up

    replies, still_up = async_to_sync(run)()
    assert all(r["type"] == "error" for r in replies)
    assert "Observers" in replies[4]["message"]
    assert "too large" in replies[-1]["message"]
    assert still_up["type"] == "snapshot"
    assert RoomEvent.objects.count() == 0


@socket_db
def test_frames_too_deep_or_with_unstorable_text_are_refused_and_the_socket_stays_up(world):
    """Found by tests/fuzz: JSON nested past Python's recursion limit (2 KB of brackets) raised
    RecursionError; a lone surrogate (JSON may escape one) in a text the room stores raised
    UnicodeEncodeError, and a NUL in one failed on PostgreSQL. Each closed the socket with a
    server error; now a message with either is refused whole, wherever the text is."""
    meeting = make_meeting(world)
    mo_cookie = cookie_for(world, world.mo)
    text = {"type": "command", "name": "check_in", "args": {}}

    async def run():
        mo = connect(mo_cookie, meeting.pk)
        await mo.connect()
        replies = []
        for frame in (
            "[" * 1000 + "]" * 1000,
            '{"a":' * 1000 + "}" * 1000,
            json.dumps({**text, "id": "a\x00"}),
            json.dumps({**text, "args": {"text": "\ud800"}}),
            json.dumps({**text, "args": {"\ud800": 1}}),
        ):
            await mo.send_to(text_data=frame)
            replies.append(await next_message(mo, 2))
        await mo.send_json_to({"type": "hello", "last_seq": None})
        still_up = await next_message(mo, 2)
        await mo.disconnect()
        return replies, still_up

    replies, still_up = async_to_sync(run)()
    assert [r["message"] for r in replies] == ["That is not JSON."] * 2 + [
        "That message has characters that cannot be stored."
    ] * 3
    assert still_up["type"] == "snapshot"
    assert RoomEvent.objects.count() == 0


def test_presenters_share_the_time_left_in_the_meeting(world):
    meeting = make_meeting(world, minutes=90)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=30))
    room = open_room(Meeting.objects.get(pk=meeting.pk))
    Room.objects.filter(pk=room.pk).update(stage="bidding")
    Membership.objects.create(set=world.aurora, user=world.nia)
    go(meeting, world.fran, "order_bids", presenters=[world.mo.pk, world.nia.pk])
    # 60 minutes left, 7 kept for the review and summary: 26 minutes each.
    assert Room.objects.get(pk=room.pk).presenter_minutes in (26, 27)


def test_off_schedule_the_formats_airtime_is_shared(world, meeting):
    Room.objects.filter(meeting=meeting).update(stage="bidding")
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + timedelta(days=3))
    go(meeting, world.fran, "order_bids", presenters=[world.mo.pk])
    assert Room.objects.get(meeting=meeting).presenter_minutes == 35


def test_events_carry_only_what_their_command_changed(world, meeting):
    # Days before the meeting: the first command makes it live (the meeting section too).
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + timedelta(days=3))
    first = go(meeting, world.fran, "timer_start")
    assert set(first["state"]) == {"timer", "meeting"} and first["partial"] is True
    message = go(meeting, world.fran, "timer_add", minutes=2)
    assert set(message["state"]) == {"timer"}
    assert message["state"]["timer"]["seconds"] == 7 * 60
    moved = go(meeting, world.fran, "advance")
    assert set(moved["state"]) == {"stage", "stages", "timer", "capture_questions"}
    go(meeting, world.fran, "advance")
    go(meeting, world.mo, "bid", headline="Two teams")
    assert set(go(meeting, world.mo, "withdraw_bid")["state"]) == {"bids", "presenters"}


def test_a_note_event_does_not_copy_the_room(world, meeting):
    """300 review notes once made 27.7 MB of events: each carried the whole room."""
    Room.objects.filter(meeting=meeting).update(stage="process_review")
    for i in range(30):
        go(meeting, world.mo, "review_note", text=f"Note {i} " + "x" * 200)
    last = RoomEvent.objects.order_by("-seq").first()
    assert set(last.payload) <= {"append", "attendance"}
    assert [n["text"][:7] for n in last.payload["append"]["review"]] == ["Note 29"]
    message = services.event_message(last)
    assert message["state"] == {} or set(message["state"]) == {"attendance"}
    assert len(json.dumps(message)) < 1000  # one note, not thirty
    # A client that missed them catches up from the events: every note, once, in order.
    caught_up = [m["append"]["review"][0]["text"][:7] for m in services.missed_events(meeting, 0)]
    assert caught_up == [f"Note {i} "[:7] for i in range(30)]


def test_captured_questions_get_the_coachs_label_and_the_chair_sees_only_the_mix(world, meeting):
    _to_airtime(world, meeting, "questions")
    go(meeting, world.fran, "question", text="Have you tried delegating it?")
    message = go(meeting, world.fran, "question", text="What would success look like?")
    assert list(Question.objects.values_list("label", flat=True)) == ["advice", "open"]
    state = message["state"]
    assert state["question_mix"] == {"advice": 1, "open": 1}
    assert [q["text"] for q in message["append"]["questions"]] == ["What would success look like?"]
    assert all("label" not in q for q in message["append"]["questions"])  # no labels shown
    assert all(
        "label" not in q for q in services.snapshot(Room.objects.get(meeting=meeting))["questions"]
    )


@socket_db
def test_the_coach_speaks_to_the_asker_alone(world):
    give_mo_an_open_action(world)
    meeting = make_meeting(world)
    open_room(meeting)
    _to_airtime(world, meeting, "questions")
    fran_cookie, mo_cookie = cookie_for(world, world.fran), cookie_for(world, world.mo)

    async def run():
        fran, mo = connect(fran_cookie, meeting.pk), connect(mo_cookie, meeting.pk)
        await fran.connect()
        await mo.connect()
        command = {
            "type": "command",
            "id": "q1",
            "name": "question",
            "args": {"text": "Why don't you just ask HR?"},
        }
        await fran.send_json_to(command)
        to_fran = [await next_message(fran, 2), await next_message(fran, 2)]
        to_mo = [await next_message(mo, 2)]
        nothing_else = await quiet(mo, 0.3)
        await fran.disconnect()
        await mo.disconnect()
        return to_fran, to_mo, nothing_else

    to_fran, to_mo, nothing_else = async_to_sync(run)()
    coach = next(m for m in to_fran if m["type"] == "coach")
    assert coach["label"] == "advice" and coach["suggestion"].startswith("What would change if you")
    assert [m["type"] for m in to_mo] == ["event"] and nothing_else
