"""Reminder e-mails before meetings: a few days before (``Set.reminder_days``) and on the morning.

``send_due_reminders`` is a background task (django-tasks): every run sends whatever is due and
nothing else, so it may run as often as anyone likes. Each reminder is *claimed* with a
conditional update before it is sent (healthchecks' ``sendalerts``: only the worker whose update
changed exactly one row sends), so two workers never send the same reminder twice. A send that
fails after the claim is logged and not retried: a reminder is sent at most once.

``queue_for`` is called after a schedule is created or a meeting moves: with the database backend
it queues a run for each future due time; the immediate backend (tests, demo) runs one sweep now.
``revans worker`` also runs one sweep when it starts, for anything that fell due while no worker
ran.

Not here yet: the section "your open actions to report back on" (issue 3, §6). It belongs
between "When and where" and the first-meeting note in both templates, and in
``_message_for``'s context, once the actions app exists; until then it is absent.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django_tasks import default_task_backend, task

from revans.core.mail import send_each, zone_info, zone_name
from revans.sets.models import Membership, Role

from .models import Meeting

logger = logging.getLogger(__name__)

BEFORE, MORNING = "before", "morning"
SUBJECT_PREFIX = "[Revans] "
# Set.reminder_days is at most 14: meetings further away than this have nothing due.
LOOKAHEAD = timedelta(days=15)
# A meeting that starts before the morning hour gets its "morning" reminder this long before.
EARLY_START_LEAD = timedelta(hours=1)
RECIPIENT_ROLES = [Role.FACILITATOR, Role.MEMBER, Role.OBSERVER]


def site_url() -> str:
    return settings.SITE_URL


def before_due_at(meeting: Meeting) -> datetime:
    """``reminder_days`` before the start, at the same wall-clock time in the meeting's zone."""
    local_start = meeting.starts_at.astimezone(zone_info(meeting.time_zone))
    # Aware arithmetic in one zone is wall-clock arithmetic; the round trip through UTC
    # settles the offset on the earlier day (it differs across a change of clocks).
    due = local_start - timedelta(days=meeting.set.reminder_days)
    return due.astimezone(ZoneInfo("UTC"))


def morning_due_at(meeting: Meeting) -> datetime:
    """REMINDER_MORNING_HOUR on the meeting's day, in the meeting's zone; earlier for an early start."""
    zone = zone_info(meeting.time_zone)
    day = meeting.starts_at.astimezone(zone).date()
    morning = datetime.combine(day, time(settings.REMINDER_MORNING_HOUR), tzinfo=zone)
    return min(morning.astimezone(ZoneInfo("UTC")), meeting.starts_at - EARLY_START_LEAD)


def due_kind(meeting: Meeting, now: datetime) -> str | None:
    """Which reminder ``meeting`` should send at ``now``: MORNING, BEFORE or None.

    Both are due only until the meeting starts. When both are due (no worker ran for a while)
    the morning one wins: it is the newer news, and one e-mail is enough.
    """
    if meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at <= now:
        return None
    if meeting.morning_reminder_sent_at is None and morning_due_at(meeting) <= now:
        return MORNING
    if (
        meeting.reminder_sent_at is None
        and meeting.morning_reminder_sent_at is None
        and before_due_at(meeting) <= now
    ):
        return BEFORE
    return None


def _claim(meeting: Meeting, kind: str, now: datetime) -> bool:
    """Marks the reminder sent; True only for the one caller whose update changed the row.

    The filter repeats what ``due_kind`` read, including the start it computed from, so a
    meeting moved or cancelled since then is not claimed.
    """
    rows = Meeting.objects.filter(
        pk=meeting.pk,
        status=Meeting.Status.SCHEDULED,
        starts_at=meeting.starts_at,
        morning_reminder_sent_at__isnull=True,
    )
    if kind == MORNING:
        # The morning reminder stands in for a "before" one not sent yet.
        changed = rows.update(
            morning_reminder_sent_at=now, reminder_sent_at=Coalesce("reminder_sent_at", now)
        )
    else:
        changed = rows.filter(reminder_sent_at__isnull=True).update(reminder_sent_at=now)
    return changed == 1


def recipients(meeting: Meeting) -> list:
    """The people in the set who want reminders; not its facilitators for a meeting the set
    runs itself (they do not come to it)."""
    roles = [r for r in RECIPIENT_ROLES if r != Role.FACILITATOR or not meeting.self_facilitated]
    memberships = Membership.objects.filter(
        set_id=meeting.set_id,
        role__in=roles,
        user__reminders=True,
        user__is_active=True,
    ).select_related("user")
    return [m.user for m in memberships.order_by("user__display_name", "user_id")]


@dataclass
class Reminder:
    meeting: Meeting
    kind: str


def due_reminders(now: datetime) -> list[Reminder]:
    """Every reminder due at ``now`` (not yet claimed)."""
    candidates = (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + LOOKAHEAD
        )
        .filter(Q(reminder_sent_at__isnull=True) | Q(morning_reminder_sent_at__isnull=True))
        .select_related("set")
    )
    return [Reminder(meeting, kind) for meeting in candidates if (kind := due_kind(meeting, now))]


def send_reminders_due_at(now: datetime) -> int:
    """Claims and sends every reminder due at ``now``; returns the number of e-mails sent."""
    sent = 0
    for reminder in due_reminders(now):
        if not _claim(reminder.meeting, reminder.kind, now):
            continue  # another worker has it, or the meeting changed under us
        try:
            sent += _send(reminder, now)
        except Exception:
            # E.g. the mail server refused the connection: log it, and go on to the next meeting.
            logger.exception("Reminders for meeting %s failed", reminder.meeting.pk)
    return sent


def _send(reminder: Reminder, now: datetime) -> int:
    meeting = reminder.meeting
    messages = [_message_for(reminder, user, now) for user in recipients(meeting)]
    sent = send_each(messages, f"Reminder for meeting {meeting.pk}")
    logger.info("Sent the %s reminder for meeting %s to %d people", reminder.kind, meeting.pk, sent)
    return sent


@task()
def send_due_reminders() -> int:
    """Sends every reminder now due. Safe to run at any time, by any number of workers."""
    return send_reminders_due_at(timezone.now())


def due_times(meeting: Meeting) -> list[datetime]:
    """When ``meeting``'s unsent reminders fall due."""
    times = []
    if meeting.reminder_sent_at is None and meeting.morning_reminder_sent_at is None:
        times.append(before_due_at(meeting))
    if meeting.morning_reminder_sent_at is None:
        times.append(morning_due_at(meeting))
    return times


def queue_for(meeting_ids: list[int]) -> None:
    """Queues reminder runs for these (new or moved) meetings, so reminders go out on time."""
    if not default_task_backend.supports_defer:
        # The immediate backend runs the sweep here and now; nothing can wait for later.
        send_due_reminders.enqueue()
        return
    now = timezone.now()
    meetings = Meeting.objects.filter(
        pk__in=meeting_ids, status=Meeting.Status.SCHEDULED, starts_at__gt=now
    ).select_related("set")
    later: set[datetime] = set()
    due_now = False
    for meeting in meetings:
        for due in due_times(meeting):
            if due >= meeting.starts_at:
                continue
            if due <= now:
                due_now = True
            else:
                later.add(due)
    if due_now:
        send_due_reminders.enqueue()
    for run_after in sorted(later):
        send_due_reminders.using(run_after=run_after).enqueue()


def _message_for(reminder: Reminder, user, now: datetime) -> EmailMultiAlternatives:
    """The reminder for one person, in their own time zone."""
    meeting = reminder.meeting
    zone = zone_info(user.time_zone)
    meeting_zone = zone_info(meeting.time_zone)
    starts = meeting.starts_at.astimezone(zone)
    ends = meeting.ends_at.astimezone(zone)
    today = starts.date() == now.astimezone(zone).date()
    day = "today" if today else f"on {dateformat.format(starts, 'l j F')}"
    context = {
        "meeting": meeting,
        "set": meeting.set,
        "user": user,
        "morning": reminder.kind == MORNING,
        "today": today,
        "day": day,
        "date": dateformat.format(starts, "l j F Y"),
        "start": dateformat.format(starts, "H:i"),
        "end": dateformat.format(ends, "H:i"),
        "zone": zone_name(zone),
        # Someone elsewhere also sees the time the set planned, in the set's own zone.
        "planned": (
            f"{dateformat.format(meeting.starts_at.astimezone(meeting_zone), 'H:i')} "
            f"in {zone_name(meeting_zone)}"
            if str(meeting_zone) != str(zone)
            else ""
        ),
        "duration": _duration(meeting.duration_minutes),
        "meeting_url": site_url() + reverse("meeting_detail", args=[meeting.pk]),
        "profile_url": site_url() + reverse("profile"),
    }
    subject = f"{SUBJECT_PREFIX}{meeting.set.name} meets {day} at {context['start']}"
    with timezone.override(zone):
        text = render_to_string("meetings/email/reminder.txt", context)
        html = render_to_string("meetings/email/reminder.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
