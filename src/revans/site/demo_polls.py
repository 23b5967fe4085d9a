"""The demo's date poll: Beacon (online) finds a date for an extra meeting. Oli proposed five
times over the next weeks; most of the set has answered (not Zoe), so the poll's page shows
its best times, who cannot come and who has not answered yet. Loading it twice changes nothing.

Written straight to the tables, as the rest of the demo: through the services it would e-mail
everyone as the demo starts."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from revans.accounts.models import User
from revans.meetings.models import MeetingFormat
from revans.polls.models import Answer, Poll, Slot
from revans.sets.models import Set

ZONE = ZoneInfo("Europe/London")
# (working days from today, wall-clock time in London) of each proposed time.
TIMES = [(6, time(14)), (7, time(9, 30)), (9, time(14)), (11, time(16)), (13, time(12, 30))]
# Each person's answer to the five times: y yes, m if need be, n no. Zoe has not answered.
ANSWERS = {
    "oli": "yymny",
    "gus": "ynyym",
    "kate": "mnyyn",
    "raj": "ynyny",
    "lena": "nyymy",
    "ben": "ymynm",
}
CHOICE = {"y": Answer.Choice.YES, "m": Answer.Choice.IF_NEED_BE, "n": Answer.Choice.NO}


def working_day(days: int) -> date:
    """The ``days``-th working day (Monday to Friday) after today."""
    day = timezone.localdate()
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def load_beacon_poll(beacon: Set, people: dict[str, User]) -> Poll | None:
    """Beacon's open date poll with its answers; ``people`` are the demo's people by key (oli,
    gus, kate, raj, lena, ben). Nothing when Beacon already has a poll."""
    if beacon.polls.exists():
        return None
    online = MeetingFormat.objects.shipped().get(slug="online_90")
    poll = Poll.objects.create(
        set=beacon,
        created_by=people["oli"],
        title="An extra meeting on the discharge pathway",
        note=(
            "Kate and Raj asked for an extra session before our next meeting. 90 minutes on "
            "the video call as usual: which of these could you make?"
        ),
        duration_minutes=online.total_minutes,
        format=online,
        time_zone=str(ZONE),
    )
    slots = Slot.objects.bulk_create(
        Slot(poll=poll, starts_at=datetime.combine(working_day(days), at, tzinfo=ZONE))
        for days, at in TIMES
    )
    Answer.objects.bulk_create(
        Answer(slot=slot, user=people[key], choice=CHOICE[mark])
        for key, marks in ANSWERS.items()
        for slot, mark in zip(slots, marks, strict=True)
    )
    return poll
