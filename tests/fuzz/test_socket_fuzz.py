"""Arbitrary frames sent to every WebSocket consumer of Revans: the socket stays up, bad input
gets an error frame, and a refused command leaves the meeting as it was.

The live room (meetings/room/consumers.py) is fuzzed for every message type (hello, ping,
command, unknown ones, frames that are not JSON, binary frames, frames over the size limit) and
for every command of ``services.COMMANDS``, with the room in the stage where that command
belongs, so its checks really run. Each example connects as someone in the set, sends its
frames (each followed by a marker whose answer ends that frame's), then checks the
room still takes a command; it runs in a savepoint rolled back after it. The consumer's
database calls run in this thread, inside the test's transaction (``database_sync_to_async``
would otherwise close the connection between calls), and its rate limit is lifted so the
fuzzing reaches the commands.
"""

import json
from itertools import count
from unittest.mock import patch

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from hypothesis import example, given
from hypothesis import strategies as st

from revans.actions.models import Action
from revans.asgi import application
from revans.coach.scenarios import all_scenarios
from revans.meetings.models import (
    Question,
    Room,
    RoomEvent,
    RuleProposal,
    Technique,
)
from revans.meetings.room import services, techniques
from revans.meetings.room.consumers import MAX_FRAME, RateLimit
from revans.meetings.room.state import snapshot, stage_order
from revans.meetings.testing import make_meeting

from .fuzzing import FUZZ, changed, rolled_back, tables

# Rows every message may touch: who is connected, and when they were last heard.
PRESENCE = frozenset({"meetings_roompresence"})
# The commands of the taster first meeting, run in its own format.
TASTER = {"propose_rule", "decide_rule", "adopt_rules", "choose_scenario", "practice_question"}
# Where each command belongs (the rest: check-in, where the meeting starts).
STAGE = {
    "report_back": "report_back:{mo}",
    "bid": "bidding",
    "withdraw_bid": "bidding",
    "order_bids": "bidding",
    "question": "airtime:{mo}:questions",
    "mark_powerful": "airtime:{mo}:questions",
    "capture": "airtime:{mo}:questions",
    "open_technique": "airtime:{mo}:questions",
    "technique": "airtime:{mo}:questions",
    "remove_technique": "airtime:{mo}:questions",
    "remove_action": "airtime:{mo}:actions",
    "add_action": "airtime:{mo}:actions",
    "review_note": "process_review",
    "propose_rule": "ground_rules",
    "decide_rule": "ground_rules",
    "adopt_rules": "ground_rules",
    "choose_scenario": "practice",
    "practice_question": "practice",
}

ODD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: JSON may escape one, UTF-8 cannot carry it
    "x" * 600,
    "--1",
    "²",
    "٣",
    "1e309",
    "NaN",
    "-0",
    "<script>alert(1)</script>",
]
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(
        [2**63, 2**64, -(2**63) - 1, 2**63 - 1]
    ),  # at the edge of a database's integers
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(ODD_TEXT),
)
json_values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def valid_values(world, ids: dict) -> dict[str, list]:
    """For each argument a command reads, values that mean something in this room."""
    people = [world.fran.pk, world.mo.pk, world.obi.pk, world.oli.pk, world.nia.pk]
    return {
        "text": ["Why now?", "What have you tried?", "Keep phones away"],
        "headline": ["Two teams, one service"],
        "minutes": [1, 30, 31, 0, -1, "5"],
        "user": people,
        "version": [1, 2, 0],
        "stage": ids["stages"],
        "status": ["present", "absent", "kept", "dropped", "open", "done", "partly", "not_done"],
        "proposal": [ids["proposal"]],
        "scenario": [s.slug for s in all_scenarios()],
        "kind": list(techniques.KINDS),
        "technique": ids["techniques"],
        "op": ["edit", "add", "title", "remove", "score"],
        "zone": ["driving", "restraining", "options", "criteria", "whys"],
        "item": [1, 2, 3],
        "score": [3, 1, 5, "3", "٣", 6],
        "option": [1, 2],
        "criterion": [1, 2],
        "value": [2, 0, 5, "2"],
        "action": ids["actions"],
        "note": ["Done, mostly"],
        "presenters": [[world.mo.pk], [world.mo.pk, world.mo.pk], [world.fran.pk], []],
        "question": [ids["question"]],
        "powerful": [True, False],
        "on": [True, False],
        "change": [True, False],
    }


# The arguments each command reads (services.py): each is sent, the others sound, set to each of
# these in turn, in every run.
READS = {
    "go_to": ["stage"],
    "timer_add": ["minutes"],
    "hand_over": ["user"],
    "capture": ["on"],
    "agree_rules": ["version"],
    "report_back": ["action", "status", "note"],
    "bid": ["headline"],
    "order_bids": ["presenters"],
    "question": ["text"],
    "mark_powerful": ["question", "powerful"],
    "add_action": ["text"],
    "remove_action": ["action"],
    "review_note": ["text", "change"],
    "attendance": ["user", "status"],
    "propose_rule": ["text"],
    "decide_rule": ["status", "proposal"],
    "choose_scenario": ["scenario"],
    "practice_question": ["text"],
    "open_technique": ["kind"],
    "technique": ["technique", "op", "item", "text", "zone", "score", "value"],
    "remove_technique": ["technique"],
}
NASTY = [
    2**63,
    -(2**70),
    "--1",
    "²",
    "\ud800",
    "a\x00b",
    "x" * 600,
    1e308,
    float("nan"),
    [],
    {"a": [1]},
    None,
    True,
]
# Sound values that take a command past its first checks (the rest: the first of valid_values).
SOUND = {"report_back": {"status": "done"}, "decide_rule": {"status": "kept"}}
# Who sends the fixed frames: the presenter marks questions; the chair does the rest.
SENDER = {"mark_powerful": "mo", "bid": "mo", "withdraw_bid": "mo", "remove_action": "mo"}


def nasty_commands(name: str, valid: dict[str, list]) -> list[str]:
    """For each argument the command reads, frames with every other argument sound and that
    one set to each of NASTY."""
    sound = {key: values[0] for key, values in valid.items()} | SOUND.get(name, {})
    return [
        json.dumps({"type": "command", "name": name, "args": {**sound, key: value}})
        for key in READS.get(name, [])
        for value in NASTY
    ]


def arguments(valid: dict[str, list]) -> st.SearchStrategy:
    """A command's arguments: its keys (any of them, or none) with values that mean something
    or anything at all, and keys nobody reads; now and then not an object."""
    fields = st.fixed_dictionaries(
        {},
        optional={
            key: st.one_of(st.sampled_from(values), json_values) for key, values in valid.items()
        },
    )
    # Every argument set to something that means something, a few of them then to anything:
    # the command's checks pass one by one up to the one fuzzed.
    sound = st.fixed_dictionaries({key: st.sampled_from(values) for key, values in valid.items()})
    mixed = st.tuples(sound, st.fixed_dictionaries({}, optional=dict.fromkeys(valid, json_values)))
    extra = st.dictionaries(st.text(max_size=8), json_values, max_size=2)
    return st.one_of(
        fields,
        mixed.map(lambda both: {**both[0], **both[1]}),
        st.tuples(fields, extra).map(lambda both: {**both[1], **both[0]}),
        json_values,
    )


def commands(name: str, valid: dict[str, list], meeting_id: int) -> st.SearchStrategy:
    """A command frame: mostly well formed around arbitrary arguments; sometimes its id, its
    meeting or its name wrong too."""
    return st.fixed_dictionaries(
        {"type": st.just("command"), "name": st.just(name), "args": arguments(valid)},
        optional={
            "id": st.one_of(st.text(max_size=70), json_values),
            "meeting": st.one_of(st.just(meeting_id), json_values),
        },
    ).map(json.dumps)


# JSON nested deeper than Python's parser goes, and still under the size limit.
deep_json = st.tuples(st.sampled_from([10, 999, 1000, 3000]), st.sampled_from("[{")).map(
    lambda shape: (
        ('{"a":' if shape[1] == "{" else "[") * shape[0]
        + ("}" if shape[1] == "{" else "]") * shape[0]
    )
)


def frames(meeting_id: int) -> st.SearchStrategy:
    """Any frame a client could send: text, bytes, JSON of any shape, the message types with
    their fields wrong, and frames over the size limit."""
    known = st.fixed_dictionaries(
        {"type": st.sampled_from(["hello", "ping", "command", "dance", ""])},
        optional={
            "last_seq": json_values,
            "name": st.one_of(st.sampled_from([*services.COMMANDS, "nope"]), json_values),
            "args": json_values,
            "id": json_values,
            "meeting": st.one_of(st.just(meeting_id), json_values),
        },
    )
    return st.one_of(
        st.text(max_size=200),
        st.binary(max_size=200),
        deep_json,
        json_values.map(json.dumps),
        known.map(json.dumps),
        known.map(lambda m: json.dumps({**m, "pad": "x" * MAX_FRAME})),
    )


def place_room(world, name: str):
    """A meeting happening now, its room in the stage where ``name`` belongs, with something
    there for the command to act on: mo's action to report on, a question to mo, two canvases
    in mo's airtime, a proposed rule. Returns the meeting and the ids of those."""
    taster = name in TASTER
    earlier = make_meeting(world.aurora, number=1, days=-30)
    meeting = make_meeting(world.aurora, number=2, shape="taster" if taster else "one_hour")
    mo = world.mo.pk
    open_action = Action.objects.create(
        set=world.aurora, owner=world.mo, text="Call Sam", committed_in=earlier
    )
    committed = Action.objects.create(
        set=world.aurora, owner=world.mo, text="Ask Ana", committed_in=meeting
    )
    room = services.open_room(meeting)
    room.stage = STAGE.get(name, "check_in").format(mo=mo)
    room.presenters = [] if name == "order_bids" else [mo]
    room.capture_questions = True
    room.scenario = all_scenarios()[0].slug if name == "practice_question" else ""
    room.save()
    question = Question.objects.create(
        meeting=meeting, presenter=world.mo, asker=world.fran, text="What matters most?"
    )
    canvases = []
    for kind in ("force_field", "options_matrix"):
        canvas = techniques.new_canvas("Merging rotas")
        zones = techniques.KINDS[kind].zones
        for zone, text in ((zones[0][0], "Managers want it"), (zones[1][0], "Two systems")):
            canvas = techniques.edit(kind, canvas, "add", {"zone": zone, "text": text})
        canvases.append(
            Technique.objects.create(
                meeting=meeting, presenter=world.mo, kind=kind, data=canvas, opened_by=world.mo
            ).pk
        )
    proposal = RuleProposal.objects.create(meeting=meeting, author=world.mo, text="Phones away")
    room = Room.objects.select_related("meeting__set", "meeting__format").get(pk=room.pk)
    stages = [stage.key for stage in stage_order(room, room.meeting.set.memberships.all())]
    ids = {
        "stages": stages or ["check_in"],
        "actions": [open_action.pk, committed.pk],
        "question": question.pk,
        "techniques": canvases,
        "proposal": proposal.pk,
    }
    return meeting, ids


def cookie_for(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"


def connect(cookie: str, path: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application,
        path,
        headers=[
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
            (b"cookie", cookie.encode()),
        ],
    )


@database_sync_to_async
def room_state(meeting_id: int):
    """What the room shows, the number of its events, and every table but presence."""
    room = Room.objects.select_related("meeting__set", "meeting__format").get(meeting_id=meeting_id)
    shown = snapshot(room)
    json.dumps(shown)  # what goes to every screen stays JSON
    return shown, RoomEvent.objects.filter(meeting_id=meeting_id).count(), tables(PRESENCE)


async def answers(socket: WebsocketCommunicator) -> list[dict]:
    """What the room says to a frame just sent, up to its answer to a marker sent after it (a
    message of no known type, whose error names the marker's id). The socket may not close: a
    server error closes it (and raises here), and nothing the fuzzing sends as someone in the
    set may end their connection."""
    marker = f"end-{next(MARKERS)}"
    await socket.send_to(text_data=json.dumps({"type": "end", "id": marker}))
    said = []
    while True:
        # Long enough for a busy machine: an answer that never comes fails here, a server error
        # at once.
        output = await socket.receive_output(timeout=30)
        assert output["type"] == "websocket.send", f"the socket closed: {output}"
        message = json.loads(output["text"])
        if message.get("id") == marker:
            return said
        if message["type"] != "presence":
            said.append(message)


MARKERS = count()


async def send_all(cookie: str, meeting_id: int, sent: list[str | bytes], acts: bool) -> None:
    """Sends each frame, checks its answer, then checks the room takes a command from someone
    who ``acts`` (an observer's is refused)."""
    socket = connect(cookie, f"/ws/meetings/{meeting_id}/room/")
    connected, code = await socket.connect(timeout=30)
    assert connected, code
    try:
        for frame in sent:
            before = await room_state(meeting_id)
            key = "bytes" if isinstance(frame, bytes) else "text"
            await socket.send_input({"type": "websocket.receive", key: frame})
            said = await answers(socket)
            kinds = [message["type"] for message in said]
            assert set(kinds) <= {"error", "coach", "event", "snapshot", "pong"}, said
            if "error" in kinds:
                after = await room_state(meeting_id)
                assert after[:2] == before[:2], "a refused command changed the room"
                assert after[2] == before[2], (
                    f"a refused command changed {changed(before[2], after[2])}"
                )
        # The room still takes a command: mo checks in (refused only once it is closed).
        shown, events, _ = await room_state(meeting_id)
        await socket.send_to(
            text_data=json.dumps({"type": "command", "id": "after", "name": "check_in", "args": {}})
        )
        said = await answers(socket)
        _, events_after, _ = await room_state(meeting_id)
        if shown["closed"] or not acts:
            assert [m["type"] for m in said] == ["error"]
        else:
            assert said == [] and events_after == events + 1, said
    finally:
        await socket.disconnect(timeout=30)


@pytest.fixture
def world(world_made_once):
    return world_made_once


@pytest.fixture
def room_in_this_thread():
    """The consumer's database calls share the test's connection and transaction, and its
    rate limit does not stop the fuzzing."""
    with (
        patch("channels.db.close_old_connections", lambda: None),
        patch.object(RateLimit, "allow", classmethod(lambda cls, user_id, meeting_id: True)),
    ):
        yield


def fresh_layer():
    """A channel layer for this example's event loop (the Redis layer binds to one)."""
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)


@pytest.mark.parametrize("name", sorted(services.COMMANDS))
def test_every_command_with_arbitrary_arguments(world, room_in_this_thread, name):
    meeting, ids = place_room(world, name)
    cookies = {who: cookie_for(getattr(world, who)) for who in ("fran", "mo")}
    valid = valid_values(world, ids)

    @FUZZ
    @given(
        who=st.sampled_from(["fran", "mo"]),
        sent=st.lists(commands(name, valid, meeting.pk), min_size=1, max_size=3),
    )
    def run(who, sent):
        fresh_layer()
        with rolled_back():
            async_to_sync(send_all)(cookies[who], meeting.pk, sent, acts=True)

    run()
    fixed = nasty_commands(name, valid)
    if fixed:
        fresh_layer()
        with rolled_back():
            async_to_sync(send_all)(cookies[SENDER.get(name, "fran")], meeting.pk, fixed, acts=True)


def test_arbitrary_frames(world, room_in_this_thread):
    meeting, _ = place_room(world, "check_in")
    cookies = {who: cookie_for(getattr(world, who)) for who in ("fran", "mo", "obi")}

    nested = ["[" * 1000 + "]" * 1000, '{"a":' * 1000 + "}" * 1000]
    unstorable = [json.dumps({"type": "command", "id": t, "name": "check_in"}) for t in NASTY[4:6]]

    @FUZZ
    @example(who="mo", sent=[*nested, *unstorable, "", b""])
    @given(
        who=st.sampled_from(["fran", "mo", "obi"]),
        sent=st.lists(frames(meeting.pk), min_size=1, max_size=4),
    )
    def run(who, sent):
        fresh_layer()
        with rolled_back():
            async_to_sync(send_all)(cookies[who], meeting.pk, sent, acts=who != "obi")

    run()


def test_clock_arbitrary_frames(world):
    """The clock socket answers anything with the time or an error, and stays up."""
    cookie = cookie_for(world.mo)

    async def send(sent):
        socket = connect(cookie, "/ws/clock/")
        connected, code = await socket.connect(timeout=30)
        assert connected, code
        try:
            assert (await socket.receive_json_from(timeout=30))["type"] == "clock"
            for frame in [*sent, '{"type": "clock"}']:
                key = "bytes" if isinstance(frame, bytes) else "text"
                await socket.send_input({"type": "websocket.receive", key: frame})
                output = await socket.receive_output(timeout=30)
                assert output["type"] == "websocket.send", f"the socket closed: {output}"
                assert json.loads(output["text"])["type"] in ("clock", "error")
            assert json.loads(output["text"])["type"] == "clock"
        finally:
            await socket.disconnect(timeout=30)

    @FUZZ
    @example(sent=["00", "", b"", "[" * 1000 + "]" * 1000])
    @given(sent=st.lists(frames(0), min_size=1, max_size=4))
    def run(sent):
        fresh_layer()
        async_to_sync(send)(sent)

    with patch("channels.db.close_old_connections", lambda: None):
        run()
