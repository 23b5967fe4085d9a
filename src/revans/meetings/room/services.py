"""Every change to a live meeting: checked, written with its event in one transaction, and
broadcast to the meeting's group after commit by ``broadcast`` (a rolled-back change is never
sent). The one way through: consumer → ``apply`` → handler → ``_record`` → ``broadcast``."""

import asyncio
import functools
import json
import logging
import os
import weakref
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypedDict, cast

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Model
from django.db.models.expressions import Col
from django.utils import timezone

from revans.accounts.models import User
from revans.actions.models import Action
from revans.coach import Verdict, classify
from revans.coach.scenarios import get_scenario
from revans.sets.models import GroundRules, GroundRulesAgreement, Membership, Role, Set

from ..models import (
    Attendance,
    Bid,
    Meeting,
    MeetingFormat,
    PracticeQuestion,
    Question,
    ReviewNote,
    Room,
    RoomEvent,
    RuleProposal,
    Technique,
)
from . import machine, techniques
from .state import SECTIONS, participants, planned_seconds, snapshot, stage_order
from .summary import build_summary

MAX_TEXT = 500
HISTORY = 500  # events a reconnecting client can catch up on; older ones get a snapshot

logger = logging.getLogger(__name__)

# A command's arguments, as the client sent them in JSON: each handler checks what it reads.
Args = dict[str, Any]


class EventMessage(TypedDict):
    """A room event as every screen in the room receives it."""

    type: str
    seq: int
    kind: str
    partial: bool
    id: str
    actor: int | None
    state: dict[str, Any]
    append: dict[str, Any]
    server_time: str


class Refused(Exception):
    """A command that cannot be applied; the message goes back to the sender only."""


class NotInSet(Refused):
    """The sender is no longer in the meeting's set: their socket closes."""


def group_name(meeting_id: int) -> str:
    return f"room-{meeting_id}"


def open_room(meeting: Meeting) -> Room:
    """The meeting's room, made on first use with its first facilitator in the chair."""
    room = (
        Room.objects.filter(meeting=meeting)
        .select_related("meeting__set", "meeting__format")
        .first()
    )
    if room:
        return room
    # A meeting the set runs itself starts with the chair empty: a member takes it.
    chair = None
    if meeting.facilitated:
        chair = (
            Membership.objects.filter(set_id=meeting.set_id, role=Role.FACILITATOR)
            .order_by("joined_at")
            .values_list("user_id", flat=True)
            .first()
        )
    room, created = Room.objects.get_or_create(meeting=meeting, defaults={"chair_id": chair})
    room = Room.objects.select_related("meeting__set", "meeting__format").get(pk=room.pk)
    if created:
        # The check-in's minutes are on the clock, waiting for the chair to start it.
        room.timer_seconds = planned_seconds(room, machine.Stage("check_in"), [])
        room.save(update_fields=["timer_seconds"])
    return room


def missed_events(meeting: Meeting, after: int) -> list[EventMessage] | None:
    """The events after ``after``, or None when the client should take a fresh snapshot."""
    room = Room.objects.filter(meeting=meeting).first()
    if room is None or after > room.seq or room.seq - after > HISTORY:
        return None
    events = RoomEvent.objects.filter(meeting=meeting, seq__gt=after).order_by("seq")
    missed = [event_message(e) for e in events]
    if len(missed) != room.seq - after:
        return None  # the record was deleted (retention, ``meetings.purge``): start afresh
    return missed


def event_message(event: RoomEvent) -> EventMessage:
    state = {k: v for k, v in event.payload.items() if k != "append"}
    return {
        "type": "event",
        "seq": event.seq,
        "kind": event.kind,
        # Only the sections the command changed: clients merge them into what they hold, and
        # add the items under ``append`` to the end of their growing lists.
        "partial": set(state) != set(SECTIONS),
        "id": event.client_id,
        "actor": event.actor_id,
        "state": state,
        "append": event.payload.get("append", {}),
        "server_time": event.created_at.isoformat(),
    }


# A command that adds to a growing list sends the new item alone (300 review notes once made
# 27.7 MB of events, each carrying every note).
# A canvas edited comes alone too, in place of the one with its id.
APPENDS = {
    "question": "questions",
    "review_note": "review",
    "propose_rule": "proposals",
    "practice_question": "practice_questions",
    "open_technique": "techniques",
    "technique": "techniques",
}
# The sections of the room's state each command may change; its event carries only those.
_STAGE = ("stage", "stages", "timer", "capture_questions")
TOUCHES = {
    "advance": _STAGE,
    "back": _STAGE,
    "go_to": _STAGE,
    "timer_start": ("timer",),
    "timer_pause": ("timer",),
    "timer_add": ("timer",),
    "hand_over": ("chair",),
    "take_chair": ("chair",),
    "capture": ("capture_questions",),
    "agree_rules": ("ground_rules",),
    "report_back": ("actions",),
    "bid": ("bids", "presenters"),
    "withdraw_bid": ("bids", "presenters"),
    "order_bids": ("presenters", "presenter_minutes", "stage", "stages"),
    "question": ("question_mix",),  # and the new question, appended
    "mark_powerful": ("questions",),
    "add_action": ("actions",),
    "remove_action": ("actions",),
    "review_note": (),  # the new note, appended
    "check_in": ("attendance",),
    "attendance": ("attendance",),
    "propose_rule": (),  # the new proposal, appended
    "decide_rule": ("proposals",),
    "adopt_rules": ("ground_rules",),
    "choose_scenario": ("practice",),
    "practice_question": (),  # the new question, appended
    "open_technique": (),  # the new canvas, appended
    "technique": (),  # the changed canvas, in place of its old self
    "remove_technique": ("techniques",),
    "close": ("closed", "stage", "stages", "timer", "meeting", "attendance"),
}


class Applied(NamedTuple):
    event: EventMessage  # the event message, as everyone in the room receives it
    repeated: bool  # a message applied before: answered with its earlier event, not applied again
    verdict: Verdict | None  # the coach's word on a question, for the asker alone


def apply(meeting_id: int, user: User, name: str, args: Args, client_id: str = "") -> Applied:
    """Applies one command in one transaction; its event is broadcast after commit. A repeated
    message is not applied again, nor broadcast: its earlier event goes back to its sender."""
    with transaction.atomic():
        room = _locked_room(meeting_id)
        sender = _sender(room, user, client_id)
        if sender.earlier is not None:
            earlier = RoomEvent.objects.get(pk=sender.earlier)
            return Applied(event_message(earlier), True, None)
        membership = sender.membership
        if membership is None:
            raise NotInSet("You are no longer in this set.")
        if membership.role == Role.OBSERVER:
            raise Refused("Observers follow the meeting; they do not change it.")
        if room.closed_at or room.meeting.status == Meeting.Status.CLOSED:
            raise Refused("The meeting is closed.")
        if room.meeting.status == Meeting.Status.CANCELLED:
            raise Refused("The meeting was cancelled; nothing can change in its room.")
        handler = COMMANDS.get(name)
        if handler is None:
            raise Refused(f"Unknown command {name!r}.")
        verdict = handler(room, user, membership, args)
        sections = set(TOUCHES[name])
        if room.meeting.status == Meeting.Status.SCHEDULED:
            sections.add("meeting")  # the first command makes the meeting live
        if (
            name not in ("check_in", "attendance")
            and not sender.attendance_recorded
            and _mark_present(room, user)
        ):
            sections.add("attendance")
        message = _record(room, user, name, client_id, sections, APPENDS.get(name))
        return Applied(message, False, verdict)


class _Sender(NamedTuple):
    earlier: int | None  # the event of this message when it was applied before
    membership: Membership | None  # their place in the meeting's set (Meeting.membership_of)
    attendance_recorded: bool


def _sender(room: Room, user: User | None, client_id: str) -> _Sender:
    """What every command asks about its sender, in one query: these three questions asked
    through the ORM cost it ten times what the database spends answering them (py-spy on
    bench/room_fanout.py), on the path every command takes."""
    if user is None or not user.is_authenticated:
        return _Sender(None, None, False)
    event_table, membership_table, attendance_table = (
        m._meta.db_table for m in (RoomEvent, Membership, Attendance)
    )
    params: list[int | str] = [room.meeting_id, user.pk, client_id]
    params += [room.meeting.set_id, user.pk] * 2 + [room.meeting_id, user.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT
                (SELECT id FROM {event_table} WHERE meeting_id = %s AND actor_id = %s
                    AND client_id = %s AND client_id <> ''),
                (SELECT id FROM {membership_table} WHERE set_id = %s AND user_id = %s),
                (SELECT role FROM {membership_table} WHERE set_id = %s AND user_id = %s),
                EXISTS (SELECT 1 FROM {attendance_table} WHERE meeting_id = %s AND user_id = %s)""",
            params,
        )
        earlier, membership_id, role, recorded = cursor.fetchone()
    membership = (
        Membership(pk=membership_id, set_id=room.meeting.set_id, user_id=user.pk, role=role)
        if membership_id is not None
        else None
    )
    return _Sender(earlier, membership, bool(recorded))


def _locked_room(meeting_id: int) -> Room:
    room = _read_locked_room(meeting_id)
    if room is None:
        meeting = Meeting.objects.filter(pk=meeting_id).select_related("set", "format").first()
        if meeting is None:
            raise Refused("There is no such meeting.")
        open_room(meeting)
        room = _read_locked_room(meeting_id)
    assert room is not None  # made just now
    return room


_JOINED: tuple[tuple[type[Model], str], ...] = (
    (Room, "r"),
    (Meeting, "m"),
    (Set, "s"),
    (MeetingFormat, "f"),
)
# What the ORM applies to a value read from the database: (value, expression, connection).
Converter = Callable[[Any, Col, Any], Any]
# For each joined model: its field names, and each field's converters with its column.
_Maker = tuple[type[Model], list[str], list[tuple[list[Converter], Col]]]


@functools.cache
def _locked_room_query(vendor: str) -> tuple[str, list[_Maker]]:
    """The SQL, and for each model its field names and each field's converters (what the ORM
    applies to a value read from this database), worked out once per process."""
    qn = connection.ops.quote_name
    makers: list[_Maker] = []
    for model, alias in _JOINED:
        fields = list(model._meta.concrete_fields)
        converters = [
            (
                connection.ops.get_db_converters(field.get_col(alias))
                # Field.get_db_converters is Django's, undeclared by django-stubs
                + field.get_db_converters(connection),  # type: ignore[attr-defined]
                field.get_col(alias),
            )
            for field in fields
        ]
        makers.append((model, [field.attname for field in fields], converters))
    columns = ", ".join(
        f"{alias}.{qn(field.column)}"
        for model, alias in _JOINED
        for field in model._meta.concrete_fields
    )
    table = {alias: qn(model._meta.db_table) for model, alias in _JOINED}
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""
    sql = (
        f"SELECT {columns} FROM {table['r']} r"
        f" JOIN {table['m']} m ON m.id = r.meeting_id"
        f" JOIN {table['s']} s ON s.id = m.set_id"
        f" JOIN {table['f']} f ON f.id = m.format_id"
        f" WHERE r.meeting_id = %s{lock}"
    )
    return sql, makers


def _read_locked_room(meeting_id: int) -> Room | None:
    """The room with its meeting, set and format, its row locked until commit (PostgreSQL; a
    SQLite write transaction holds the whole database). Written in SQL because every command
    starts here: the ORM compiles this join at fifteen times what the database spends running
    it (bench/room_fanout.py); the rows become models as the ORM makes them, converters and all."""
    sql, makers = _locked_room_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [meeting_id])
        row = cursor.fetchone()
    if row is None:
        return None
    made: list[Model] = []
    values = iter(row)
    for model, names, converters in makers:
        made.append(
            model.from_db(
                connection.alias,
                names,
                [_convert(next(values), *converter) for converter in converters],
            )
        )
    # Made in _JOINED's order.
    room, meeting = cast(Room, made[0]), cast(Meeting, made[1])
    meeting.set, meeting.format = cast(Set, made[2]), cast(MeetingFormat, made[3])
    room.meeting = meeting
    return room


def _convert(value: Any, converters: list[Converter], expression: Col) -> Any:
    if value is not None:
        for convert in converters:
            value = convert(value, expression, connection)
    return value


def _record(
    room: Room,
    user: User | None,
    kind: str,
    client_id: str,
    sections: Collection[str] = SECTIONS,
    appended: str | None = None,
) -> EventMessage:
    room.seq += 1
    _save_room(room)
    if room.meeting.status == Meeting.Status.SCHEDULED and not room.closed_at:
        Meeting.objects.filter(pk=room.meeting_id).update(status=Meeting.Status.LIVE)
        room.meeting.status = Meeting.Status.LIVE
    event = RoomEvent(
        meeting_id=room.meeting_id,
        seq=room.seq,
        kind=kind,
        actor=user,
        client_id=client_id,
        payload=snapshot(room, [name for name in SECTIONS if name in sections], appended),
    )
    try:
        _insert_event(event)
    except IntegrityError:
        raise Refused("That message was already applied.") from None
    message = event_message(event)
    if room.seq % 50 == 0:
        RoomEvent.objects.filter(meeting_id=room.meeting_id, seq__lte=room.seq - HISTORY).delete()
    broadcast(room.meeting_id, message)
    return message


# Every command saves its room and writes its event: two statements written once per process,
# where the ORM would compile each every time (bench/room_fanout.py).


def _save_room(room: Room) -> None:
    """``room.save()`` for a room that exists."""
    sql, fields = _statement("update", Room)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_values(room, fields, add=False), room.pk])


def _insert_event(event: RoomEvent) -> None:
    """``event.save()`` for a new event (its id stays unread: nothing uses it)."""
    sql, fields = _statement("insert", RoomEvent)
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(event, fields, add=True))


def _values(instance: Model, fields: list[Field[Any, Any]], add: bool) -> list[Any]:
    # pre_save fills auto_now_add and auto_now dates, as save() does.
    return [f.get_db_prep_save(f.pre_save(instance, add), connection) for f in fields]


@functools.cache
def _statement(kind: str, model: type[Model]) -> tuple[str, list[Field[Any, Any]]]:
    qn = connection.ops.quote_name
    table, meta = qn(model._meta.db_table), model._meta
    if kind == "update":
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        columns = ", ".join(f"{qn(f.column)} = %s" for f in fields)
        return f"UPDATE {table} SET {columns} WHERE {qn(meta.pk.column)} = %s", fields
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns, marks = ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})", fields


def broadcast(meeting_id: int, message: EventMessage) -> None:
    """Sends an event to everyone in the meeting's room once the transaction commits; nothing
    rolled back is ever sent (Zulip's rule). The one way an event leaves the room, for every
    caller: the consumer, views and tasks. Encoded once, sent as is to every screen."""
    group = group_name(meeting_id)
    text = json.dumps(message)
    transaction.on_commit(lambda: _send(group, {"type": "room.event", "text": text}))


# The last send queued on each event loop: the next waits for it, so a room's events leave
# this process in the order they were committed.
_last_send: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task[None]] = (
    weakref.WeakKeyDictionary()
)
_sending: set[asyncio.Task[None]] = set()

# A message to a channel layer group: its type names the consumer's handler.
ChannelMessage = dict[str, str]


def _send(group: str, message: ChannelMessage) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        server_loop = _server_loop()
        if server_loop is None:  # a task or a command: no server loop to hand the send to
            async_to_sync(get_channel_layer().group_send)(group, message)
            return
        # Called in the server's database thread (a consumer's or a view's): the server's loop
        # sends, and this thread goes on to the next command without waiting for it.
        server_loop.call_soon_threadsafe(_queue_send, server_loop, group, message)
        return
    _queue_send(loop, group, message)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop that handed this thread its work (asgiref records it, as async_to_sync
    uses it), when it is still running."""
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    return loop if loop.is_running() else None


def _queue_send(loop: asyncio.AbstractEventLoop, group: str, message: ChannelMessage) -> None:
    task = loop.create_task(_send_after(_last_send.get(loop), group, message))
    _last_send[loop] = task
    _sending.add(task)  # held until done, so the task is not collected half-way
    task.add_done_callback(_sending.discard)


async def _send_after(
    previous: asyncio.Task[None] | None, group: str, message: ChannelMessage
) -> None:
    if previous is not None and not previous.done():
        await asyncio.wait([previous])
    try:
        await get_channel_layer().group_send(group, message)
    except Exception:  # one lost send must not stop the room's next ones
        logger.exception("room event to %s not sent", group)


# --- who may do what ---------------------------------------------------------------------


def _chair_only(room: Room, user: User) -> None:
    if room.chair_id != user.pk:
        raise Refused("Only the person in the chair moves the meeting on.")


def _text(args: Args, key: str = "text") -> str:
    value = args.get(key)
    if not isinstance(value, str) or not value.strip():
        raise Refused("Write something first.")
    value = " ".join(value.split())
    if len(value) > MAX_TEXT:
        raise Refused(f"Keep it under {MAX_TEXT} characters.")
    return value


def _int(args: Args, key: str) -> int:
    value = args.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(f"{key} must be a number.")
    if not -(2**63) <= value < 2**63:  # what a database integer holds: ids and minutes are less
        raise Refused(f"{key} is out of range.")
    return value


def _in_stage(room: Room, *phases: str) -> machine.Stage:
    stage = machine.Stage.parse(room.stage)
    if stage.phase not in phases:
        raise Refused("That belongs to another part of the meeting.")
    return stage


# --- the commands ------------------------------------------------------------------------


def _go_to(room: Room, stage: machine.Stage | None) -> None:
    """Enters ``stage`` with its clock running; a stage entered before resumes its clock where
    it was left (Back never gives a stage its minutes again)."""
    if stage is None:
        raise Refused("There is nowhere further to go.")
    now = timezone.now()
    spent = dict(room.stage_elapsed or {})
    spent[room.stage] = room.timer_elapsed + (
        (now - room.timer_started_at).total_seconds() if room.timer_started_at else 0.0
    )
    room.stage_elapsed = spent
    room.stage = stage.key
    room.timer_seconds = planned_seconds(room, stage, participants(room.meeting))
    room.timer_elapsed = spent.get(stage.key, 0.0)
    room.timer_started_at = now
    room.capture_questions = stage.phase == "airtime" and stage.step == "questions"


def go_to(room: Room, user: User, membership: Membership, args: Args) -> None:
    """The chair jumps to any stage of the meeting (from the stage list)."""
    _chair_only(room, user)
    key = args.get("stage")
    order = stage_order(room, participants(room.meeting))
    target = next((s for s in order if isinstance(key, str) and s.key == key), None)
    if target is None:
        raise Refused("That stage is not part of this meeting.")
    current = machine.Stage.parse(room.stage)
    if current.phase == "bidding" and target.phase == "airtime" and not room.presenters:
        raise Refused("Choose the presenters first (order the bids).")
    _go_to(room, target)


def _mark_present(room: Room, user: User) -> bool:
    """Someone who acts in the room during the meeting is there: recorded present unless their
    attendance is already recorded (``apply`` asks only when its membership query found none).
    Returns whether it changed."""
    meeting, now = room.meeting, timezone.now()
    grace = timedelta(minutes=settings.ROOM_GRACE_MINUTES)
    if not meeting.starts_at - timedelta(minutes=30) <= now <= meeting.ends_at + grace:
        return False
    _, created = Attendance.objects.get_or_create(
        meeting=meeting,
        user=user,
        defaults={"status": Attendance.Status.PRESENT, "recorded_by": user},
    )
    return created


def check_in(room: Room, user: User, membership: Membership, args: Args) -> None:
    """ "I'm here": the person marks themselves present."""
    Attendance.objects.update_or_create(
        meeting=room.meeting,
        user=user,
        defaults={"status": Attendance.Status.PRESENT, "recorded_by": user, "note": ""},
    )


def attendance(room: Room, user: User, membership: Membership, args: Args) -> None:
    """The chair corrects who is here."""
    _chair_only(room, user)
    person = _int(args, "user")
    status = args.get("status")
    if status not in (Attendance.Status.PRESENT, Attendance.Status.ABSENT):
        raise Refused("Mark someone present or absent.")
    if not Membership.objects.filter(set_id=room.meeting.set_id, user_id=person).exists():
        raise Refused("That person is not in the set.")
    Attendance.objects.update_or_create(
        meeting=room.meeting, user_id=person, defaults={"status": status, "recorded_by": user}
    )


def advance(room: Room, user: User, membership: Membership, args: Args) -> None:
    _chair_only(room, user)
    order = stage_order(room, participants(room.meeting))
    current = machine.Stage.parse(room.stage)
    if current.phase == "bidding" and not room.presenters:
        raise Refused("Choose the presenters first (order the bids), or nobody presents today.")
    _go_to(room, machine.following(order, current))


def back(room: Room, user: User, membership: Membership, args: Args) -> None:
    _chair_only(room, user)
    order = stage_order(room, participants(room.meeting))
    _go_to(room, machine.preceding(order, machine.Stage.parse(room.stage)))


def timer_start(room: Room, user: User, membership: Membership, args: Args) -> None:
    _chair_only(room, user)
    if room.timer_started_at is None:
        room.timer_started_at = timezone.now()


def timer_pause(room: Room, user: User, membership: Membership, args: Args) -> None:
    _chair_only(room, user)
    if room.timer_started_at is not None:
        room.timer_elapsed += (timezone.now() - room.timer_started_at).total_seconds()
        room.timer_started_at = None


def timer_add(room: Room, user: User, membership: Membership, args: Args) -> None:
    _chair_only(room, user)
    minutes = _int(args, "minutes")
    if not 1 <= minutes <= 30:
        raise Refused("Add between 1 and 30 minutes.")
    room.timer_seconds += minutes * 60


def hand_over(room: Room, user: User, membership: Membership, args: Args) -> None:
    _chair_only(room, user)
    to = _int(args, "user")
    target = Membership.objects.filter(set_id=room.meeting.set_id, user_id=to).first()
    if target is None or target.role == Role.OBSERVER:
        raise Refused("Hand the chair to someone in the set (not an observer).")
    room.chair_id = to


def take_chair(room: Room, user: User, membership: Membership, args: Args) -> None:
    """A facilitator takes the chair back; in a meeting the set runs itself (a self-facilitated
    set, or a meeting beyond its facilitated ones), any member takes it."""
    if membership.role != Role.FACILITATOR and not room.meeting.self_facilitated:
        raise Refused("Only a facilitator can take the chair.")
    room.chair_id = user.pk


def capture(room: Room, user: User, membership: Membership, args: Args) -> None:
    _chair_only(room, user)
    _in_stage(room, "airtime")
    room.capture_questions = bool(args.get("on"))


def agree_rules(room: Room, user: User, membership: Membership, args: Args) -> None:
    _in_stage(room, "check_in", "ground_rules")
    rules = GroundRules.objects.filter(set=room.meeting.set).order_by("-version").first()
    if rules is None or _int(args, "version") != rules.version:
        raise Refused("The ground rules changed; read them again.")
    GroundRulesAgreement.objects.get_or_create(ground_rules=rules, user=user)


# --- the taster first meeting: the set's own ground rules, a practice round ---------------

MAX_PROPOSALS = 40
MAX_PRACTICE_QUESTIONS = 300  # each is in every snapshot of the room


def propose_rule(room: Room, user: User, membership: Membership, args: Args) -> None:
    """Anyone in the set proposes a ground rule for the set to discuss."""
    _in_stage(room, "ground_rules")
    text = _text(args)
    if len(text) > 300:
        raise Refused("Keep a rule under 300 characters.")
    proposed = list(
        RuleProposal.objects.filter(meeting=room.meeting).values_list("text", flat=True)
    )
    if len(proposed) >= MAX_PROPOSALS:
        raise Refused(f"The set has {MAX_PROPOSALS} proposals: keep or drop some first.")
    if text.casefold() in {p.casefold() for p in proposed}:
        raise Refused("That rule is already proposed.")
    RuleProposal.objects.create(meeting=room.meeting, author=user, text=text)


def decide_rule(room: Room, user: User, membership: Membership, args: Args) -> None:
    """The chair records what the set decided about a proposal: kept, dropped, or open again."""
    _chair_only(room, user)
    _in_stage(room, "ground_rules")
    status = args.get("status")
    if status not in RuleProposal.Status.values:
        raise Refused("Keep the rule, drop it, or open it again.")
    if not RuleProposal.objects.filter(pk=_int(args, "proposal"), meeting=room.meeting).update(
        status=status
    ):
        raise Refused("That proposal is not in this meeting.")


def adopt_rules(room: Room, user: User, membership: Membership, args: Args) -> None:
    """The kept rules become the set's ground rules (a new version), for each to agree to."""
    _chair_only(room, user)
    _in_stage(room, "ground_rules")
    kept = list(
        RuleProposal.objects.filter(
            meeting=room.meeting, status=RuleProposal.Status.KEPT
        ).values_list("text", flat=True)
    )
    if not kept:
        raise Refused("Keep at least one rule first.")
    set_ = room.meeting.set
    current = GroundRules.objects.filter(set=set_).order_by("-version").first()
    if current and list(current.rules) == kept:
        raise Refused("These are already the set's ground rules.")
    GroundRules.objects.create(
        set=set_, version=(current.version + 1) if current else 1, rules=kept, drafted_by=user
    )


def choose_scenario(room: Room, user: User, membership: Membership, args: Args) -> None:
    """The chair chooses the sample problem the set practises its questions on."""
    _chair_only(room, user)
    _in_stage(room, "practice")
    slug = args.get("scenario")
    if not isinstance(slug, str) or get_scenario(slug) is None:
        raise Refused("Choose one of the sample problems.")
    room.scenario = slug


def practice_question(room: Room, user: User, membership: Membership, args: Args) -> Verdict:
    """A question about the sample problem: the coach labels it, for the asker alone."""
    _in_stage(room, "practice")
    if not room.scenario:
        raise Refused("The chair chooses a sample problem first.")
    text = _text(args)
    if PracticeQuestion.objects.filter(meeting=room.meeting).count() >= MAX_PRACTICE_QUESTIONS:
        raise Refused("That is plenty of practice for one meeting: the set moves on.")
    verdict = classify(text)
    PracticeQuestion.objects.create(
        meeting=room.meeting, asker=user, scenario=room.scenario, text=text, label=verdict.label
    )
    return verdict


# --- techniques in airtime: canvases everyone in the room edits ---------------------------


def open_technique(room: Room, user: User, membership: Membership, args: Args) -> None:
    """The presenter or the chair opens a technique during the presenter's airtime."""
    stage = _in_stage(room, "airtime")
    if user.pk not in (stage.person, room.chair_id):
        raise Refused("The presenter (or the chair) opens a technique.")
    kind = args.get("kind")
    if not isinstance(kind, str) or kind not in techniques.KINDS:
        raise Refused("Choose one of the techniques.")
    assert stage.person is not None  # an airtime stage is parsed from "airtime:<person>:<step>"
    if Technique.objects.filter(
        meeting=room.meeting, presenter_id=stage.person, kind=kind
    ).exists():
        raise Refused(f"A {techniques.KINDS[kind].name.lower()} is already open in this airtime.")
    Technique.objects.create(
        meeting=room.meeting,
        presenter_id=stage.person,
        kind=kind,
        data=techniques.new_canvas(),
        opened_by=user,
        seq=room.seq + 1,  # the event this command writes
    )


def _technique_in_turn(room: Room, args: Args) -> Technique:
    stage = _in_stage(room, "airtime")
    technique: Technique | None = Technique.objects.filter(
        pk=_int(args, "technique"), meeting=room.meeting
    ).first()
    if technique is None:
        raise Refused("That canvas is not in this meeting.")
    if technique.presenter_id != stage.person:
        raise Refused("That canvas belongs to another presenter's airtime.")
    return technique


def technique(room: Room, user: User, membership: Membership, args: Args) -> None:
    """One edit to a canvas (a note added, changed, moved, scored or removed) by anyone in the
    set, during the airtime it belongs to."""
    canvas = _technique_in_turn(room, args)
    try:
        canvas.data = techniques.edit(canvas.kind, canvas.data, args.get("op"), args)
    except techniques.CanvasError as error:
        raise Refused(str(error)) from None
    canvas.seq = room.seq + 1
    canvas.save(update_fields=["data", "seq"])


def remove_technique(room: Room, user: User, membership: Membership, args: Args) -> None:
    canvas = _technique_in_turn(room, args)
    if user.pk not in (canvas.presenter_id, room.chair_id):
        raise Refused("The presenter (or the chair) closes a technique.")
    canvas.delete()


def report_back(room: Room, user: User, membership: Membership, args: Args) -> None:
    stage = _in_stage(room, "report_back")
    action = Action.objects.filter(pk=_int(args, "action"), set=room.meeting.set).first()
    if action is None or action.owner_id != stage.person:
        raise Refused("That action is not being reported on now.")
    if user.pk not in (action.owner_id, room.chair_id):
        raise Refused("The action's owner (or the chair) reports on it.")
    status = args.get("status")
    if status not in (
        Action.Status.DONE,
        Action.Status.PARTLY,
        Action.Status.NOT_DONE,
        Action.Status.DROPPED,
    ):
        raise Refused("Choose done, partly, not done or dropped.")
    note = args.get("note") or ""
    if not isinstance(note, str) or len(note) > MAX_TEXT:
        raise Refused(f"Keep the note under {MAX_TEXT} characters.")
    action.status = status
    action.report_note = " ".join(note.split())
    action.reported_in = room.meeting
    action.reported_at = timezone.now()
    action.save()


def bid(room: Room, user: User, membership: Membership, args: Args) -> None:
    _in_stage(room, "bidding")
    headline = _text(args, "headline")[:200]
    Bid.objects.update_or_create(meeting=room.meeting, user=user, defaults={"headline": headline})


def withdraw_bid(room: Room, user: User, membership: Membership, args: Args) -> None:
    _in_stage(room, "bidding")
    Bid.objects.filter(meeting=room.meeting, user=user).delete()


def order_bids(room: Room, user: User, membership: Membership, args: Args) -> None:
    """The chair orders the presenters and splits the time left between them."""
    _chair_only(room, user)
    _in_stage(room, "bidding")
    chosen = args.get("presenters")
    if not isinstance(chosen, list) or not all(
        isinstance(p, int) and not isinstance(p, bool) for p in chosen
    ):
        raise Refused("List the presenters in order.")
    members = {m.user_id for m in participants(room.meeting) if m.role == Role.MEMBER}
    if len(set(chosen)) != len(chosen) or not set(chosen) <= members:
        raise Refused("Presenters are members of the set, each once.")
    room.presenters = chosen
    meeting, now = room.meeting, timezone.now()
    phases = meeting.format.phases
    planned = next((p["minutes"] for p in phases if p["kind"] == "airtime"), 30)
    minutes = planned * meeting.format.presenters  # the format's airtime, when run off-schedule
    if meeting.starts_at <= now < meeting.ends_at:
        # In the meeting's own hour: split what is left, keeping the review and summary.
        closing = sum(p["minutes"] for p in phases if p["kind"] in ("process_review", "summary"))
        left = int((meeting.ends_at - now).total_seconds() // 60) - closing
        minutes = left if left > 0 else minutes
    room.presenter_minutes = machine.split_minutes(minutes, len(chosen))


def question(room: Room, user: User, membership: Membership, args: Args) -> Verdict:
    stage = _in_stage(room, "airtime")
    if stage.step != "questions" or not room.capture_questions:
        raise Refused(
            "Questions are captured during the questions stage, when the chair turns it on."
        )
    if user.pk == stage.person:
        raise Refused("The presenter answers; the others ask.")
    text = _text(args)
    verdict = classify(text)
    assert stage.person is not None  # a questions stage is parsed from "airtime:<person>:<step>"
    Question.objects.create(
        meeting=room.meeting,
        presenter_id=stage.person,
        asker=user,
        text=text,
        label=verdict.label,
        open_score=verdict.open_score,
    )
    return verdict  # the coach's word, for the asker alone (architecture.md §5)


def mark_powerful(room: Room, user: User, membership: Membership, args: Args) -> None:
    stage = _in_stage(room, "airtime")
    asked = Question.objects.filter(pk=_int(args, "question"), meeting=room.meeting).first()
    if asked is None or asked.presenter_id != stage.person or user.pk != stage.person:
        raise Refused("The presenter marks the questions that helped.")
    asked.powerful = bool(args.get("powerful", True))
    asked.save(update_fields=["powerful"])


def add_action(room: Room, user: User, membership: Membership, args: Args) -> None:
    stage = _in_stage(room, "airtime")
    if stage.step != "actions":
        raise Refused("Actions are written in the actions stage.")
    if user.pk not in (stage.person, room.chair_id):
        raise Refused("The presenter commits to actions (or the chair writes them down).")
    assert stage.person is not None  # an actions stage is parsed from "airtime:<person>:<step>"
    Action.objects.create(
        set=room.meeting.set, owner_id=stage.person, text=_text(args), committed_in=room.meeting
    )


def remove_action(room: Room, user: User, membership: Membership, args: Args) -> None:
    stage = _in_stage(room, "airtime")
    if user.pk not in (stage.person, room.chair_id):
        raise Refused("The presenter (or the chair) takes an action back.")
    deleted, _ = Action.objects.filter(
        pk=_int(args, "action"), committed_in=room.meeting, owner_id=stage.person
    ).delete()
    if not deleted:
        raise Refused("Only an action committed just now can be taken back.")


def review_note(room: Room, user: User, membership: Membership, args: Args) -> None:
    _in_stage(room, "process_review")
    change = bool(args.get("change"))
    if change:
        _chair_only(room, user)
    ReviewNote.objects.create(meeting=room.meeting, author=user, text=_text(args), change=change)


def close(room: Room, user: User, membership: Membership, args: Args) -> None:
    _chair_only(room, user)
    _close(room)


def _close(room: Room) -> None:
    room.closed_at = timezone.now()
    room.stage = machine.Stage("summary").key
    room.timer_started_at = None
    Meeting.objects.filter(pk=room.meeting_id).update(
        status=Meeting.Status.CLOSED, summary=build_summary(room.meeting)
    )
    room.meeting.status = Meeting.Status.CLOSED
    transaction.on_commit(lambda: _send_summary(room.meeting_id))


def _send_summary(meeting_id: int) -> None:
    from .summary import send_summary

    send_summary(meeting_id)


# A command's handler: it checks and writes; a question returns the coach's word on it.
Handler = Callable[[Room, User, Membership, Args], Verdict | None]

# Wire names are written out, not taken from the functions' names.
COMMANDS: dict[str, Handler] = {
    "advance": advance, "back": back, "go_to": go_to, "timer_start": timer_start,
    "timer_pause": timer_pause, "timer_add": timer_add, "hand_over": hand_over,
    "take_chair": take_chair, "capture": capture, "agree_rules": agree_rules,
    "report_back": report_back, "bid": bid, "withdraw_bid": withdraw_bid,
    "order_bids": order_bids, "question": question, "mark_powerful": mark_powerful,
    "add_action": add_action, "remove_action": remove_action, "review_note": review_note,
    "check_in": check_in, "attendance": attendance, "close": close,
    "propose_rule": propose_rule, "decide_rule": decide_rule, "adopt_rules": adopt_rules,
    "choose_scenario": choose_scenario, "practice_question": practice_question,
    "open_technique": open_technique, "technique": technique,
    "remove_technique": remove_technique,
}  # fmt: skip
assert set(COMMANDS) == set(TOUCHES)


def close_overdue(now: datetime | None = None, meeting_ids: list[int] | None = None) -> int:
    """Closes the meetings left open past their end plus the grace period (only those of
    ``meeting_ids`` when given); returns how many."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.ROOM_GRACE_MINUTES)
    closed = 0
    candidates = Meeting.objects.filter(
        status__in=[Meeting.Status.SCHEDULED, Meeting.Status.LIVE],
        starts_at__lt=now - grace,
    ).select_related("set", "format")
    if meeting_ids is not None:
        candidates = candidates.filter(pk__in=meeting_ids)
    for meeting in candidates:
        if meeting.ends_at + grace > now:
            continue
        with transaction.atomic():
            claimed = Meeting.objects.filter(
                pk=meeting.pk, status__in=[Meeting.Status.SCHEDULED, Meeting.Status.LIVE]
            ).update(status=Meeting.Status.CLOSED)
            if not claimed:
                continue
            room = _locked_room(meeting.pk)
            room.meeting = meeting
            _close(room)
            _record(room, None, "auto_close", "")  # broadcast after this meeting's commit
            closed += 1
    return closed
