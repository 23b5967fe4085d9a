"""The room's state as every participant's screen needs it: one JSON document per change."""

from django.db.models import Count, Q

from revans.actions.models import Action
from revans.sets.models import GroundRules, GroundRulesAgreement, Issue, Role

from ..models import Bid, Meeting, Question, ReviewNote, Room
from . import machine


def participants(meeting: Meeting) -> list:
    """The set's memberships, facilitators first (they are the people in the room)."""
    return list(
        meeting.set.memberships.select_related("user").order_by("role", "user__display_name")
    )


def member_ids(people) -> list[int]:
    return [m.user_id for m in people if m.role == Role.MEMBER]


def stage_order(room: Room, people) -> list[machine.Stage]:
    return machine.stages(member_ids(people), list(room.presenters))


def planned_seconds(room: Room, stage: machine.Stage, people) -> int:
    meeting = room.meeting
    return machine.planned_seconds(
        stage,
        meeting.format.phases,
        len(member_ids(people)),
        room.presenter_minutes,
        meeting.format.presenters,
    )


def snapshot(room: Room) -> dict:
    """Everything the room shows, from the database (the authority)."""
    meeting = room.meeting
    people = participants(meeting)
    names = {m.user_id: m.user.display_name for m in people}
    stage = machine.Stage.parse(room.stage)
    order = stage_order(room, people)
    rules = GroundRules.objects.filter(set=meeting.set).order_by("-version").first()
    agreed = (
        list(
            GroundRulesAgreement.objects.filter(ground_rules=rules).values_list(
                "user_id", flat=True
            )
        )
        if rules
        else []
    )
    actions = list(
        Action.objects.filter(set=meeting.set)
        .filter(actions_in_play(meeting))
        .select_related("committed_in")
        .order_by("owner_id", "created_at")
    )
    issues = {
        i.owner_id: i.title
        for i in Issue.objects.filter(set=meeting.set).exclude(status__in=["resolved", "set_aside"])
    }
    bids = list(Bid.objects.filter(meeting=meeting))
    headline = {b.user_id: b.headline for b in bids}
    return {
        "meeting": {
            "id": meeting.pk,
            "number": meeting.number,
            "set": meeting.set.name,
            "first": meeting.is_first,
            "self_facilitated": meeting.set.self_facilitated,
            "status": meeting.status,
            "ends_at": meeting.ends_at.isoformat(),
        },
        "stage": {
            "key": stage.key,
            "phase": stage.phase,
            "person": stage.person,
            "step": stage.step,
            "title": _title(stage, names),
            "index": order.index(stage) if stage in order else 0,
            "count": len(order),
            "planned_seconds": planned_seconds(room, stage, people),
        },
        "stages": [{"key": s.key, "title": _title(s, names)} for s in order],
        "chair": room.chair_id,
        "people": [{"id": m.user_id, "name": m.user.display_name, "role": m.role} for m in people],
        "timer": {
            "seconds": room.timer_seconds,
            "elapsed": room.timer_elapsed,
            "started_at": room.timer_started_at.isoformat() if room.timer_started_at else None,
        },
        "ground_rules": {
            "version": rules.version if rules else None,
            "rules": list(rules.rules) if rules else [],
            "agreed": agreed,
        },
        "actions": [
            {
                "id": a.pk,
                "owner": a.owner_id,
                "text": a.text,
                "status": a.status,
                "note": a.report_note,
                "from_meeting": a.committed_in.number,
                "this_meeting": a.committed_in_id == meeting.pk,
                "reported_here": a.reported_in_id == meeting.pk,
            }
            for a in actions
        ],
        "issues": {str(k): v for k, v in issues.items()},
        "bids": [{"user": b.user_id, "headline": b.headline} for b in bids],
        "presenters": [
            {"id": p, "name": names.get(p, "?"), "headline": headline.get(p, issues.get(p, ""))}
            for p in room.presenters
        ],
        "presenter_minutes": room.presenter_minutes,
        "capture_questions": room.capture_questions,
        "questions": [
            {
                "id": q.pk,
                "presenter": q.presenter_id,
                "text": q.text,
                "asker": names.get(q.asker_id, ""),
                "powerful": q.powerful,
            }
            for q in Question.objects.filter(meeting=meeting)
        ],
        # The set's running mix for the chair: counts only, never who asked what.
        "question_mix": dict(
            Question.objects.filter(meeting=meeting)
            .exclude(label="")
            .values_list("label")
            .annotate(count=Count("pk"))
            .values_list("label", "count")
        ),
        "review": [
            {"id": n.pk, "author": names.get(n.author_id, ""), "text": n.text, "change": n.change}
            for n in ReviewNote.objects.filter(meeting=meeting)
        ],
        "closed": room.closed_at is not None,
    }


def actions_in_play(meeting: Meeting):
    """Open actions from earlier meetings, and any action committed or reported at this one."""
    return (
        Q(status=Action.Status.COMMITTED, committed_in__starts_at__lt=meeting.starts_at)
        | Q(committed_in=meeting)
        | Q(reported_in=meeting)
    )


def _title(stage: machine.Stage, names: dict[int, str]) -> str:
    title = machine.PHASE_TITLES.get(stage.phase, stage.phase)
    if stage.phase == "report_back":
        return f"{title}: {names.get(stage.person, 'someone who left')}"
    if stage.phase == "airtime":
        step = machine.STAGE_TITLES.get(stage.step, stage.step)
        return f"{title}: {names.get(stage.person, 'someone who left')} · {step}"
    return title
