"""Techniques in airtime: canvases opened by the presenter or the chair, edited by everyone in
the set through the room's events, saved with the airtime."""

import pytest
from asgiref.sync import async_to_sync

from revans.meetings.models import Room, RoomEvent, Technique
from revans.meetings.room.services import Refused, apply
from revans.meetings.room.state import snapshot
from revans.sets.models import Membership
from revans.site.testing import make_person

from .test_room import (
    connect,
    cookie_for,
    give_mo_an_open_action,
    make_meeting,
    next_message,
    socket_db,
)


def go(meeting, who, name, **args):
    return apply(meeting.pk, who, name, args)


def airtime(world, meeting, step="questions", presenters=None):
    go(meeting, world.fran, "go_to", stage="bidding")
    go(meeting, world.fran, "order_bids", presenters=presenters or [world.mo.pk])
    go(meeting, world.fran, "go_to", stage=f"airtime:{world.mo.pk}:{step}")


@pytest.fixture
def meeting(world):
    give_mo_an_open_action(world)
    return make_meeting(world)


@pytest.fixture
def sue(world):
    sue = make_person("sue")
    Membership.objects.create(set=world.aurora, user=sue)
    return sue


def test_the_presenter_opens_a_canvas_and_everyone_edits_it(world, meeting, sue):
    airtime(world, meeting, "present")
    opened = go(meeting, world.mo, "open_technique", kind="force_field").event
    canvas = Technique.objects.get()
    assert (canvas.presenter, canvas.kind, canvas.opened_by) == (world.mo, "force_field", world.mo)
    assert opened["append"]["techniques"][0]["id"] == canvas.pk
    go(meeting, world.mo, "technique", technique=canvas.pk, op="title", text="Move to the new rota")
    go(meeting, sue, "technique", technique=canvas.pk, op="add", zone="driving", text="Overtime")
    go(
        meeting,
        world.fran,
        "technique",
        technique=canvas.pk,
        op="add",
        zone="restraining",
        text="Fear",
    )
    event = go(meeting, sue, "technique", technique=canvas.pk, op="edit", item=1, score=5).event
    # The event carries the changed canvas alone, with its totals worked out.
    shown = event["append"]["techniques"]
    assert len(shown) == 1 and shown[0]["id"] == canvas.pk
    assert shown[0]["totals"] == {"driving": 5, "restraining": 3}
    assert shown[0]["title"] == "Move to the new rota"
    canvas.refresh_from_db()
    assert [i["text"] for i in canvas.data["items"]] == ["Overtime", "Fear"]


def test_the_chair_opens_one_too_and_the_event_names_the_canvas_changed_not_the_newest(
    world, meeting
):
    airtime(world, meeting)
    go(meeting, world.fran, "open_technique", kind="swot")
    go(meeting, world.mo, "open_technique", kind="options_matrix")
    swot = Technique.objects.get(kind="swot")
    event = go(
        meeting, world.mo, "technique", technique=swot.pk, op="add", zone="threats", text="Cuts"
    ).event
    assert [c["kind"] for c in event["append"]["techniques"]] == ["swot"]
    state = snapshot(Room.objects.get(meeting=meeting), ["techniques"])
    assert [c["kind"] for c in state["techniques"]] == ["swot", "options_matrix"]


@pytest.mark.parametrize(
    ("who", "name", "args", "message"),
    [
        ("sue", "open_technique", {"kind": "swot"}, "opens a technique"),
        ("mo", "open_technique", {"kind": "tarot"}, "one of the techniques"),
        ("mo", "open_technique", {"kind": ["swot"]}, "one of the techniques"),
        ("mo", "open_technique", {"kind": "force_field"}, "already open"),
        ("mo", "technique", {"technique": "first", "op": "add"}, "must be a number"),
        ("mo", "technique", {"technique": 10**6, "op": "add"}, "not in this meeting"),
        ("mo", "technique", {"op": "add", "zone": "driving", "text": ""}, "Write something"),
        ("mo", "technique", {"op": "add", "zone": "up", "text": "x"}, "columns"),
        ("mo", "technique", {"op": "add", "zone": "driving", "text": "x" * 201}, "under 200"),
        ("mo", "technique", {"op": "delete_everything"}, "not a change"),
        ("obi", "technique", {"op": "add", "zone": "driving", "text": "x"}, "Observers"),
        ("sue", "remove_technique", {}, "closes a technique"),
    ],
)
def test_bad_canvas_commands_are_refused_and_change_nothing(
    world, meeting, sue, who, name, args, message
):
    airtime(world, meeting)
    go(meeting, world.mo, "open_technique", kind="force_field")
    canvas = Technique.objects.get()
    if name != "open_technique" and "technique" not in args:
        args = {**args, "technique": canvas.pk}
    before = (RoomEvent.objects.count(), Technique.objects.count(), canvas.data)
    with pytest.raises(Refused, match=message):
        go(meeting, world.obi if who == "obi" else sue if who == "sue" else world.mo, name, **args)
    canvas.refresh_from_db()
    assert (RoomEvent.objects.count(), Technique.objects.count(), canvas.data) == before


def test_a_canvas_is_edited_only_in_its_own_airtime(world, meeting, sue):
    airtime(world, meeting, presenters=[world.mo.pk, sue.pk])
    go(meeting, world.mo, "open_technique", kind="five_whys")
    canvas = Technique.objects.get()
    go(meeting, world.fran, "go_to", stage=f"airtime:{sue.pk}:present")
    with pytest.raises(Refused, match="another presenter's airtime"):
        go(meeting, sue, "technique", technique=canvas.pk, op="add", zone="whys", text="x")
    go(meeting, world.fran, "go_to", stage="process_review")
    with pytest.raises(Refused, match="another part of the meeting"):
        go(meeting, sue, "technique", technique=canvas.pk, op="add", zone="whys", text="x")
    with pytest.raises(Refused, match="another part of the meeting"):
        go(meeting, world.mo, "open_technique", kind="swot")
    # Sue's own airtime has its own canvases.
    go(meeting, world.fran, "go_to", stage=f"airtime:{sue.pk}:questions")
    go(meeting, sue, "open_technique", kind="five_whys")
    assert Technique.objects.filter(kind="five_whys").count() == 2


def test_the_presenter_closes_a_canvas_opened_by_mistake(world, meeting):
    airtime(world, meeting)
    go(meeting, world.mo, "open_technique", kind="fishbone")
    event = go(meeting, world.mo, "remove_technique", technique=Technique.objects.get().pk).event
    assert event["state"]["techniques"] == [] and not Technique.objects.exists()


def test_a_huge_canvas_is_refused_note_by_note(world, meeting):
    airtime(world, meeting)
    go(meeting, world.mo, "open_technique", kind="swot")
    canvas = Technique.objects.get()
    for _ in range(20):
        go(
            meeting,
            world.mo,
            "technique",
            technique=canvas.pk,
            op="add",
            zone="threats",
            text="x" * 200,
        )
    with pytest.raises(Refused, match="full"):
        go(meeting, world.mo, "technique", technique=canvas.pk, op="add", zone="threats", text="y")


@socket_db
def test_two_people_edit_a_canvas_at_once_and_a_reconnecting_one_misses_nothing(world):
    give_mo_an_open_action(world)
    meeting = make_meeting(world)
    airtime(world, meeting)
    go(meeting, world.mo, "open_technique", kind="swot")
    canvas = Technique.objects.get()
    fran_cookie, mo_cookie = cookie_for(world, world.fran), cookie_for(world, world.mo)

    def add(n, zone, text):
        return {
            "type": "command",
            "id": f"c{n}",
            "name": "technique",
            "args": {"technique": canvas.pk, "op": "add", "zone": zone, "text": text},
        }

    async def run():
        fran, mo = connect(fran_cookie, meeting.pk), connect(mo_cookie, meeting.pk)
        assert (await fran.connect())[0] and (await mo.connect())[0]
        for socket in (fran, mo):
            await socket.send_json_to({"type": "hello", "last_seq": None})
        snapshot_seq = (await next_message(fran))["seq"]
        await next_message(mo)
        await fran.send_json_to(add(1, "strengths", "Loyal team"))
        await mo.send_json_to(add(2, "threats", "Budget cuts"))
        seen = [await next_message(mo, 2), await next_message(mo, 2)]
        await mo.disconnect()
        await fran.send_json_to(add(3, "opportunities", "New funding"))
        await next_message(fran, 2)
        back = connect(mo_cookie, meeting.pk)
        await back.connect()
        await back.send_json_to({"type": "hello", "last_seq": seen[-1]["seq"]})
        missed = await next_message(back, 2)
        await fran.disconnect()
        await back.disconnect()
        return snapshot_seq, seen, missed

    snapshot_seq, seen, missed = async_to_sync(run)()
    assert [e["seq"] for e in seen] == [snapshot_seq + 1, snapshot_seq + 2]
    assert missed["seq"] == snapshot_seq + 3
    last = missed["append"]["techniques"][0]
    texts = {zone["key"]: [i["text"] for i in zone["items"]] for zone in last["zones"]}
    assert texts["strengths"] == ["Loyal team"] and texts["threats"] == ["Budget cuts"]
    assert texts["opportunities"] == ["New funding"]


def test_canvases_are_in_the_summary_and_the_presenters_log_draft(world, meeting, sue):
    from revans.journal.reflect import own_contributions, reflection_body
    from revans.meetings.models import Meeting
    from revans.meetings.room.summary import summary_markdown, summary_pdf

    airtime(world, meeting)
    go(meeting, world.mo, "open_technique", kind="options_matrix")
    canvas = Technique.objects.get()

    def edit(who, **args):
        go(meeting, who, "technique", technique=canvas.pk, **args)

    edit(world.mo, op="title", text="Which rota")
    edit(sue, op="add", zone="options", text="Four on, four off")
    edit(sue, op="add", zone="options", text="Self-rostering")
    edit(world.fran, op="add", zone="criteria", text="Cost")
    edit(world.mo, op="edit", item=3, score=4)
    edit(world.mo, op="score", option=2, criterion=3, value=5)
    go(meeting, world.fran, "go_to", stage="summary")
    go(meeting, world.fran, "close")
    meeting = Meeting.objects.get(pk=meeting.pk)
    [shown] = meeting.summary["techniques"]
    assert shown["presenter"] == world.mo.display_name and shown["title"] == "Which rota"
    assert shown["columns"][-1]["notes"] == [
        "Self-rostering: 20 of 20",
        "Four on, four off: 0 of 20",
    ]
    page = world.client(world.mo).get(meeting.get_absolute_url()).content.decode()
    assert "Options appraisal, in" in page and "Self-rostering: 20 of 20" in page
    assert "Self-rostering: 20 of 20" in summary_markdown(meeting)
    assert summary_pdf(meeting).startswith(b"%PDF")
    # The presenter's draft holds the canvas of their own airtime; another member's holds none.
    body = reflection_body(own_contributions(world.mo, meeting))
    assert "options appraisal" in body and "Self-rostering: 20 of 20" in body
    assert sue.display_name not in body
    assert "Self-rostering" not in reflection_body(own_contributions(sue, meeting))
    # The programme's manager sees none of it.
    manager_page = world.client(world.pam).get(meeting.get_absolute_url()).content.decode()
    assert "Self-rostering" not in manager_page
