"""Meetings left open close themselves: a background task, queued for each meeting's planned end
plus the grace period, and swept whenever a worker starts."""

from datetime import timedelta

from django.conf import settings
from django_tasks import default_task_backend, task

from ..models import Meeting
from .services import close_overdue


@task()
def close_overdue_meetings() -> int:
    return close_overdue()


def queue_close(meeting_ids: list[int]) -> None:
    if not default_task_backend.supports_defer:
        return  # run at once, nothing would be overdue yet: `revans serve` sweeps every minute
    grace = timedelta(minutes=settings.ROOM_GRACE_MINUTES, seconds=30)
    for meeting in Meeting.objects.filter(pk__in=meeting_ids):
        close_overdue_meetings.using(run_after=meeting.ends_at + grace).enqueue()
