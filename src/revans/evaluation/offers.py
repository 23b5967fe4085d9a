"""When each survey is open, and which ones wait for a person (architecture.md §2, "Survey").

Surveys are always offered and always optional: the start survey from joining a set until it
closes; the end survey when the set's last planned meeting is near or the set has closed; the
pulse once a meeting has started (in the room at its process review, or afterwards). A "Not now"
is remembered (``Response.skipped``); "My answers" still opens every survey.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from revans.meetings.models import Meeting
from revans.sets.models import Membership, Role, Set

from .models import Response, Survey

END_WINDOW = timedelta(days=14)  # the end survey opens this long before the last meeting
PULSE_OFFERED = timedelta(days=21)  # a meeting's pulse waits on the pages this long after it

START_CLOSED = "This set has closed: its start survey is no longer open."
END_NOT_YET = (
    "The end survey opens when the set's last planned meeting is two weeks away or the set "
    "has closed."
)
PULSE_NOT_YET = "The pulse opens when the meeting starts."
PULSE_CANCELLED = "This meeting was cancelled: there is nothing to rate."


def start_refusal(set_: Set) -> str:
    """Why the start survey cannot be answered now, or ""."""
    return START_CLOSED if set_.status == Set.Status.CLOSED else ""


def _last_meeting(set_: Set) -> Meeting | None:
    return (
        Meeting.objects.filter(set=set_)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


def end_is_open(set_: Set, last: Meeting | None, now: datetime) -> bool:
    """Closed sets, and sets whose last planned meeting (not their first: a set that has planned
    only its first meeting is starting) is two weeks away or behind them."""
    if set_.status == Set.Status.CLOSED:
        return True
    return last is not None and last.number > 1 and last.starts_at <= now + END_WINDOW


def end_refusal(set_: Set) -> str:
    return "" if end_is_open(set_, _last_meeting(set_), timezone.now()) else END_NOT_YET


def pulse_refusal(meeting: Meeting) -> str:
    if meeting.status == Meeting.Status.CANCELLED:
        return PULSE_CANCELLED
    if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at > timezone.now():
        return PULSE_NOT_YET
    return ""


@dataclass
class Waiting:
    """What waits for one member in one set: the surveys open and not yet answered or put off,
    and the latest meeting's pulse."""

    membership: Membership
    start: bool = False
    end: bool = False
    pulse: Meeting | None = None

    @property
    def set(self) -> Set:
        return self.membership.set

    @property
    def any(self) -> bool:
        return self.start or self.end or self.pulse is not None


def waiting_for(memberships: list[Membership], now: datetime | None = None) -> list[Waiting]:
    """The surveys waiting in each of these memberships (members only; others get nothing),
    in three queries however many sets."""
    now = now or timezone.now()
    mine = [m for m in memberships if m.role == Role.MEMBER]
    if not mine:
        return []
    user_id = mine[0].user_id
    set_ids = [m.set_id for m in mine]
    seen = {
        (r.set_id, r.survey, r.meeting_id)
        for r in Response.objects.filter(user_id=user_id, set_id__in=set_ids).only(
            "set_id", "survey", "meeting_id"
        )
    }
    last: dict[int, Meeting] = {}
    latest_started: dict[int, Meeting] = {}
    for meeting in (
        Meeting.objects.filter(set_id__in=set_ids)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(starts_at__lte=now + END_WINDOW)
        .order_by("starts_at")
        .only("set_id", "number", "starts_at", "status")  # not each meeting's summary
    ):
        last[meeting.set_id] = meeting
        if meeting.starts_at <= now and meeting.starts_at >= now - PULSE_OFFERED:
            latest_started[meeting.set_id] = meeting
    later = set(
        Meeting.objects.filter(set_id__in=set_ids, starts_at__gt=now + END_WINDOW)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("set_id", flat=True)
    )
    waiting = []
    for membership in mine:
        set_ = membership.set
        item = Waiting(membership)
        item.start = not start_refusal(set_) and (set_.pk, Survey.START, None) not in seen
        last_meeting = None if set_.pk in later else last.get(set_.pk)
        item.end = end_is_open(set_, last_meeting, now) and (set_.pk, Survey.END, None) not in seen
        pulse = latest_started.get(set_.pk)
        if pulse is not None and (set_.pk, Survey.PULSE, pulse.pk) not in seen:
            item.pulse = pulse
        waiting.append(item)
    return waiting
