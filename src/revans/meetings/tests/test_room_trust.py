"""The room's trust: a socket follows its person's rights now; cancelled and closed meetings
refuse commands; one person cannot flood the room; who is here is shown and recorded."""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Attendance, Meeting, ReviewNote, Room, RoomEvent
from revans.meetings.room import services
from revans.meetings.room.consumers import RateLimit
from revans.meetings.room.services import Refused, apply, open_room
from revans.meetings.room.summary import build_summary
from revans.sets.models import Membership

from .test_room import (
    connect,
    cookie_for,
    give_mo_an_open_action,
    make_meeting,
    next_message,
    quiet,
    socket_db,
)


def go(meeting, who, name, **args):
    return apply(meeting.pk, who, name, args)[0]


@pytest.fixture
def meeting(world):
    give_mo_an_open_action(world)
    meeting = make_meeting(world)
    open_room(meeting)
    return meeting


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    RateLimit._buckets.clear()
    yield
    RateLimit._buckets.clear()


# --- cancelled and closed meetings ----------------------------------------------------------


def test_a_cancelled_meeting_refuses_every_command_and_stays_cancelled(world, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    for name, args in (("advance", {}), ("close", {}), ("check_in", {}), ("timer_start", {})):
        with pytest.raises(Refused, match="cancelled"):
            apply(meeting.pk, world.fran, name, args)
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.summary is None
    assert RoomEvent.objects.count() == 0


def test_a_closed_meeting_refuses_commands_even_if_its_room_was_never_closed(world, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    with pytest.raises(Refused, match="closed"):
        go(meeting, world.fran, "advance")
    go_closed = Room.objects.get(meeting=meeting)
    assert go_closed.stage == "check_in" and RoomEvent.objects.count() == 0


# --- stages -----------------------------------------------------------------------------------


def test_report_back_only_for_members_with_actions_to_report(world):
    from revans.sets.models import Role

    Membership.objects.create(set=world.aurora, user=world.nia, role=Role.MEMBER)
    give_mo_an_open_action(world)
    meeting = make_meeting(world)
    room = open_room(meeting)
    keys = [s["key"] for s in services.snapshot(room)["stages"]]
    assert f"report_back:{world.mo.pk}" in keys
    assert f"report_back:{world.nia.pk}" not in keys


def test_with_no_actions_anywhere_there_is_no_report_back_stage(world):
    room = open_room(make_meeting(world))
    phases = [s["key"].split(":")[0] for s in services.snapshot(room)["stages"]]
    assert "report_back" not in phases and phases[:2] == ["check_in", "bidding"]


def test_the_chair_jumps_to_any_stage_and_back_keeps_the_clock(world, meeting):
    go(meeting, world.fran, "go_to", stage="bidding")
    assert Room.objects.get(meeting=meeting).stage == "bidding"
    with pytest.raises(Refused, match="not part of this meeting"):
        go(meeting, world.fran, "go_to", stage="airtime:1:present")
    with pytest.raises(Refused, match="Only the person in the chair"):
        go(meeting, world.mo, "go_to", stage="check_in")
    for bad in (None, 3, ["bidding"], "x" * 100):
        with pytest.raises(Refused):
            go(meeting, world.fran, "go_to", stage=bad)
    # Spend 90 seconds in bidding, step back, then return: bidding resumes at 90 seconds.
    Room.objects.filter(meeting=meeting).update(
        timer_started_at=timezone.now() - timedelta(seconds=90), timer_elapsed=0
    )
    go(meeting, world.fran, "back")
    go(meeting, world.fran, "advance")
    room = Room.objects.get(meeting=meeting)
    assert room.stage == "bidding" and 89 <= room.timer_elapsed <= 95


# --- attendance -------------------------------------------------------------------------------


def test_check_in_marks_present_the_chair_corrects_and_the_summary_lists_who_came(world, meeting):
    message = go(meeting, world.mo, "check_in")
    assert message["state"]["attendance"] == {str(world.mo.pk): "present"}
    go(meeting, world.fran, "attendance", user=world.obi.pk, status="absent")
    with pytest.raises(Refused):
        go(meeting, world.mo, "attendance", user=world.obi.pk, status="present")
    for bad in ({"user": world.nia.pk, "status": "present"}, {"user": world.obi.pk, "status": "x"}):
        with pytest.raises(Refused):
            go(meeting, world.fran, "attendance", **bad)
    assert Attendance.objects.count() == 2
    go(meeting, world.fran, "go_to", stage="summary")
    go(meeting, world.fran, "close")
    summary = Meeting.objects.get(pk=meeting.pk).summary
    statuses = {row["name"]: row["status"] for row in summary["attendance"]}
    assert statuses["Mo"] == "present" and statuses["Obi"] == "absent"
    assert statuses["Fran"] == "present"  # she acted in the room, so she was there


def test_acting_in_the_room_during_the_meeting_counts_as_present(world, meeting):
    go(meeting, world.fran, "timer_start")
    assert Attendance.objects.get(user=world.fran).status == "present"
    # Days before the meeting, a rehearsal records nobody.
    later = make_meeting(world, days=5, number=3)
    open_room(later)
    go(later, world.fran, "timer_start")
    assert not Attendance.objects.filter(meeting=later).exists()
    assert build_summary(meeting)["attendance"]


# --- the socket follows rights now ----------------------------------------------------------


async def closed(communicator) -> dict:
    """The next output that is not a presence message (a close, when rights are gone)."""
    while True:
        output = await communicator.receive_output(2)
        if output["type"] != "websocket.send" or '"presence"' not in output.get("text", ""):
            return output


async def hello(communicator, last_seq=None):
    await communicator.send_json_to({"type": "hello", "last_seq": last_seq})
    return await next_message(communicator)


def after_change(world, person, change, greet=True):
    """Opens ``person``'s room socket (saying hello when ``greet``), makes ``change(cookie)``
    (run in a thread as a view would be; ``cookie`` is the socket's session), and returns what
    the socket gets next besides presence: the close when their rights went with the change."""
    meeting = make_meeting(world)
    cookie = cookie_for(world, person)

    async def run():
        communicator = connect(cookie, meeting.pk)
        assert (await communicator.connect())[0]
        if greet:
            await hello(communicator)
        await sync_to_async(change)(cookie)
        return await closed(communicator), cookie, meeting

    return async_to_sync(run)()


def remove(world, person):
    return lambda cookie=None: Membership.objects.filter(set=world.aurora, user=person).delete()


@socket_db
def test_a_removed_member_is_closed_and_cannot_come_back(world):
    output, cookie, meeting = after_change(world, world.mo, remove(world, world.mo))
    assert output == {"type": "websocket.close", "code": 4404}

    async def again():
        return await connect(cookie, meeting.pk).connect()

    assert async_to_sync(again)() == (False, 4404)  # as for a missing meeting


@socket_db
def test_hello_after_removal_returns_nothing_even_without_the_push(world, monkeypatch):
    from revans.meetings.room import rights

    monkeypatch.setattr(rights, "tell_to_check", lambda *args, **kwargs: None)  # push lost
    meeting = make_meeting(world)
    cookie = cookie_for(world, world.mo)

    async def run():
        mo = connect(cookie, meeting.pk)
        assert (await mo.connect())[0]
        await sync_to_async(remove(world, world.mo))()
        await mo.send_json_to({"type": "hello", "last_seq": None})
        return await mo.receive_output(2)  # not even a presence message

    assert async_to_sync(run)() == {"type": "websocket.close", "code": 4404}


@socket_db
def test_a_command_after_removal_closes_the_socket_and_changes_nothing(world, monkeypatch):
    from revans.meetings.room import rights

    monkeypatch.setattr(rights, "tell_to_check", lambda *args, **kwargs: None)
    meeting = make_meeting(world)
    cookie = cookie_for(world, world.fran)

    async def run():
        fran = connect(cookie, meeting.pk)
        assert (await fran.connect())[0]
        await hello(fran)
        await sync_to_async(Membership.objects.filter(user=world.fran).delete)()
        await fran.send_json_to({"type": "command", "id": "x", "name": "advance", "args": {}})
        return await closed(fran)

    assert async_to_sync(run)() == {"type": "websocket.close", "code": 4404}
    assert RoomEvent.objects.count() == 0


@socket_db
def test_signing_out_elsewhere_closes_the_socket(world):
    from django.test import Client

    def sign_out(cookie):
        client = Client()
        client.cookies.load(cookie)  # the socket's own session, signed out in another tab
        client.post(reverse("account_logout"))

    output, _, _ = after_change(world, world.mo, sign_out)
    assert output == {"type": "websocket.close", "code": 4401}


@socket_db
def test_a_password_change_closes_sockets_of_the_old_password(world):
    def change_password(cookie):
        world.mo.set_password("an-entirely-new-password")
        world.mo.save()

    output, _, _ = after_change(world, world.mo, change_password)
    assert output == {"type": "websocket.close", "code": 4401}


@socket_db
def test_a_deactivated_account_is_closed(world):
    def deactivate(cookie):
        world.mo.is_active = False
        world.mo.save(update_fields=["is_active"])

    output, _, _ = after_change(world, world.mo, deactivate)
    assert output == {"type": "websocket.close", "code": 4401}


@socket_db
def test_other_peoples_changes_leave_the_socket_open(world):
    meeting = make_meeting(world)
    cookie = cookie_for(world, world.mo)

    async def run():
        mo = connect(cookie, meeting.pk)
        assert (await mo.connect())[0]
        await hello(mo)
        await sync_to_async(remove(world, world.obi))()
        still_quiet = await quiet(mo, 0.5)
        await mo.send_json_to({"type": "ping"})
        pong = await next_message(mo)
        await mo.disconnect()
        return still_quiet, pong

    still_quiet, pong = async_to_sync(run)()
    assert still_quiet and pong == {"type": "pong"}


# --- flooding and presence ------------------------------------------------------------------


@socket_db
def test_one_person_cannot_flood_the_room(world):
    meeting = make_meeting(world)
    Room.objects.filter(meeting=open_room(meeting)).update(stage="process_review")
    mo_cookie = cookie_for(world, world.mo)

    async def run():
        mo = connect(mo_cookie, meeting.pk)
        assert (await mo.connect())[0]
        await hello(mo)
        replies = []
        for i in range(40):
            await mo.send_json_to(
                {"type": "command", "id": f"n{i}", "name": "review_note", "args": {"text": "x"}}
            )
            replies.append(await next_message(mo, 2))
        await mo.disconnect()
        return replies

    replies = async_to_sync(run)()
    refused = [r for r in replies if r["type"] == "error"]
    assert refused and all("Slow down" in r["message"] for r in refused)
    assert ReviewNote.objects.count() == len(replies) - len(refused) <= 15


@socket_db
def test_presence_shows_who_is_connected(world):
    meeting = make_meeting(world)
    fran_cookie, mo_cookie = cookie_for(world, world.fran), cookie_for(world, world.mo)

    async def presence(communicator, expected: list[int]) -> list[int]:
        """The presence messages until one says ``expected`` (a channel layer may deliver an
        earlier one late: Redis does); the last one seen."""
        online = None
        while online != expected:
            message = await communicator.receive_json_from(3)
            if message["type"] == "presence":
                online = message["online"]
        return online

    fran_alone, both = [world.fran.pk], sorted([world.fran.pk, world.mo.pk])

    async def run():
        fran = connect(fran_cookie, meeting.pk)
        await fran.connect()
        await fran.send_json_to({"type": "hello", "last_seq": None})
        seen = [await presence(fran, fran_alone)]
        mo = connect(mo_cookie, meeting.pk)
        await mo.connect()
        seen.append(await presence(fran, both))
        await mo.disconnect()
        seen.append(await presence(fran, fran_alone))
        await fran.disconnect()
        return seen

    # Each expected list arrives in turn (a wrong one times out, failing the test).
    assert async_to_sync(run)() == [fran_alone, both, fran_alone]
