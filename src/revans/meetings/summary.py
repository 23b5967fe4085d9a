"""A set's schedule as its pages show it: the next meeting, the ones after, and the record so far;
the set page's part from meetings (``sets.page``)."""

from django.utils import timezone

from .models import Attendance, Meeting


def schedule_context(user, set_, access, memberships) -> dict:
    """Meetings and each person's attendance record; ``memberships`` get a ``record`` list."""
    now = timezone.now()
    meetings = list(Meeting.objects.visible_to(user).filter(set=set_).select_related("format"))
    for meeting in meetings:
        meeting.set = set_  # what each says about who runs it reads the set, without a query
    current = [m for m in meetings if not m.is_cancelled]

    def over(meeting: Meeting) -> bool:
        # A meeting closed early (its room opened before the planned time) is over all the same.
        return meeting.status == Meeting.Status.CLOSED or meeting.ends_at <= now

    upcoming = [m for m in current if not over(m)]
    past = [m for m in current if over(m)]
    statuses = {
        (a.meeting_id, a.user_id): a.status
        for a in Attendance.objects.visible_to(user).filter(meeting__in=past)
    }
    for membership in memberships:
        membership.record = [statuses.get((m.pk, membership.user_id)) for m in past]
        membership.attended = sum(1 for s in membership.record if s == Attendance.Status.PRESENT)
    return {
        "next_meeting": upcoming[0] if upcoming else None,
        "later_meetings": upcoming[1:],
        "past_meetings": past,
        "cancelled_meetings": [m for m in meetings if m.is_cancelled and m.starts_at > now],
        "has_meetings": bool(meetings),
    }
