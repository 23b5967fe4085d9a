"""What changes a set's meetings. Each function is one whole change in one transaction; calendars
see every change through SEQUENCE, and reminders are (re)queued once the change is committed."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from revans.accounts.models import User
from revans.sets.models import Set

from . import facilitation, reminders
from .models import Attendance, Meeting, MeetingFormat


def _after_commit_queue_reminders(meeting_ids: list[int]) -> None:
    from .room.tasks import queue_close

    transaction.on_commit(lambda: reminders.queue_for(meeting_ids))
    transaction.on_commit(lambda: queue_close(meeting_ids))


def renumber(set_: Set) -> None:
    """Numbers the set's meetings 1, 2, … by date; cancelled ones keep their old number."""
    live = set_.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("starts_at", "pk")
    for number, meeting in enumerate(live, start=1):
        if meeting.number != number:
            # The summary line changes with the number, so calendars must update.
            Meeting.objects.filter(pk=meeting.pk).update(number=number, sequence=F("sequence") + 1)


@transaction.atomic
def do_create_schedule(
    set_: Set,
    starts: list[datetime],
    *,
    zone: str,
    duration_minutes: int,
    meeting_format: MeetingFormat,
    place: str,
    video_link: str,
    first_format: MeetingFormat | None = None,
) -> list[Meeting]:
    """The set's new meetings; the first ones facilitated while the set's allowance of
    facilitated meetings lasts (``facilitation.plan``), the rest run by the set itself. Meeting
    1, when it is among them, runs in ``first_format`` when given (the taster)."""
    Set.objects.select_for_update().filter(pk=set_.pk).first()
    starts = sorted(starts)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            set=set_,
            number=0,
            starts_at=start,
            time_zone=zone,
            duration_minutes=duration_minutes,
            format=meeting_format,
            place=place,
            video_link=video_link,
            facilitated=facilitated,
        )
        for start, facilitated in zip(starts, facilitation.plan(set_, len(starts)), strict=True)
    )
    renumber(set_)
    ids = [m.pk for m in Meeting.objects.filter(set=set_, uid__in=[m.uid for m in meetings])]
    if first_format is not None:
        Meeting.objects.filter(pk__in=ids, number=1).update(format=first_format)
    _after_commit_queue_reminders(ids)
    return list(Meeting.objects.filter(pk__in=ids))


@transaction.atomic
def do_change_meeting(meeting: Meeting, **changes: object) -> Meeting:
    """Moves a meeting or changes its details; the other meetings stay where they are."""
    Set.objects.select_for_update().filter(pk=meeting.set_id).first()
    moved = "starts_at" in changes and changes["starts_at"] != meeting.starts_at
    for field, value in changes.items():
        setattr(meeting, field, value)
    meeting.sequence += 1
    if moved and meeting.starts_at > timezone.now():
        # A new date deserves new reminders.
        meeting.reminder_sent_at = meeting.morning_reminder_sent_at = None
    meeting.save()
    renumber(meeting.set)
    _after_commit_queue_reminders([meeting.pk])
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def do_mark_facilitated(meeting: Meeting, facilitated: bool) -> Meeting:
    """Marks a meeting still to come as facilitated or run by the set itself. Raises
    ValidationError past the set's allowance of facilitated meetings, in a self-facilitated
    set, or for a meeting no longer scheduled."""
    set_ = (
        Set.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=meeting.set_id)
    )
    meeting = Meeting.objects.select_related("set").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError("Only a meeting still to come can change who runs it.")
    if facilitated and set_.self_facilitated:
        raise ValidationError(
            f"{set_.name} is self-facilitated: its members run every meeting. Name a "
            "facilitator in the set's details first."
        )
    if meeting.facilitated == facilitated:
        return meeting
    limit = facilitation.allowance(set_)
    if facilitated and limit is not None and facilitation.counted(set_).count() >= limit:
        raise ValidationError(facilitation.allowance_refusal(set_, limit))
    Meeting.objects.filter(pk=meeting.pk).update(
        facilitated=facilitated, sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def do_cancel_meeting(meeting: Meeting) -> bool:
    """Cancels a scheduled meeting; False when it was not scheduled any more."""
    changed = Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.SCHEDULED).update(
        status=Meeting.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    if changed:
        renumber(meeting.set)
    return bool(changed)


def do_send_apologies(meeting: Meeting, user: User, note: str) -> Attendance:
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        user=user,
        defaults={"status": Attendance.Status.APOLOGIES, "note": note, "recorded_by": user},
    )
    return attendance


def do_withdraw_apologies(meeting: Meeting, user: User) -> None:
    Attendance.objects.filter(
        meeting=meeting, user=user, status=Attendance.Status.APOLOGIES
    ).delete()


@transaction.atomic
def do_record_attendance(meeting: Meeting, statuses: dict[int, str], recorded_by: User) -> None:
    """Records present / apologies / absent for each person (by user id); apology notes stay."""
    existing = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    for user_id, status in statuses.items():
        row = existing.get(user_id)
        if row is None:
            Attendance.objects.create(
                meeting=meeting, user_id=user_id, status=status, recorded_by=recorded_by
            )
        elif row.status != status:
            row.status = status
            row.recorded_by = recorded_by
            row.save(update_fields=["status", "recorded_by", "updated_at"])


def copy_format(
    source: MeetingFormat, set_: Set, name: str, phases: list[dict[str, Any]], presenters: int
) -> MeetingFormat:
    return MeetingFormat.objects.create(
        set=set_,
        name=name,
        description=source.description,
        presenters=presenters,
        phases=phases,
        copied_from=source,
    )
