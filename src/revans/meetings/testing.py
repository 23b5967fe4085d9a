"""A meeting for tests, the same everywhere: one hour, the shipped one-hour format."""

from datetime import timedelta

from django.utils import timezone

from .models import Meeting, MeetingFormat


def make_meeting(set_, number: int = 1, days: float = 0, **fields) -> Meeting:
    """Meeting ``number`` of ``set_``, starting ``days`` from now (negative: in the past)."""
    return Meeting.objects.create(
        set=set_,
        number=number,
        starts_at=timezone.now() + timedelta(days=days),
        time_zone="Europe/London",
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
        **fields,
    )
