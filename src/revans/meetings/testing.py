"""A meeting for tests, the same everywhere: one hour, the shipped one-hour format."""

from datetime import timedelta

from django.utils import timezone

from .models import Meeting, MeetingFormat


def make_meeting(
    set_, number: int = 1, days: float = 0, shape: str = "one_hour", **fields
) -> Meeting:
    """Meeting ``number`` of ``set_``, starting ``days`` from now (negative: in the past), in
    the shipped format ``shape`` (``taster`` for a taster first meeting)."""
    return Meeting.objects.create(
        set=set_,
        number=number,
        starts_at=timezone.now() + timedelta(days=days),
        time_zone="Europe/London",
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug=shape),
        **fields,
    )
