"""Aurora's meetings with actions committed and reported on, and a closed meeting's summary."""

import pytest

from revans.actions.models import Action
from revans.meetings.models import Meeting
from revans.meetings.testing import make_meeting

SUMMARY = {
    "meeting": 2,
    "set": "Aurora",
    "date": "2026-03-12T10:00:00+00:00",
    "attendance": [
        {"name": "Fran", "status": "present"},
        {"name": "Mo", "status": "present"},
        {"name": "Obi", "status": "apologies"},
    ],
    "presenters": [
        {
            "name": "Mo",
            "headline": "Two teams that will not merge",
            "questions": 7,
            "powerful": 2,
        }
    ],
    "committed": [{"owner": "Mo", "text": "Meet both team leaders together"}],
    "reported": [
        {
            "owner": "Mo",
            "text": "Call Sam about the rota",
            "status": "Partly done",
            "note": "Sam is on leave until May",
        }
    ],
    "questions": 7,
    "powerful": 2,
    "review": [
        {"text": "Good open questions today", "change": False},
        {"text": "Start the report-back on time", "change": True},
    ],
}


@pytest.fixture
def closed(world) -> Meeting:
    """Aurora's meeting 2, closed last week, with its summary."""
    return make_meeting(world.aurora, 2, days=-7, status=Meeting.Status.CLOSED, summary=SUMMARY)


@pytest.fixture
def history(world, closed) -> dict:
    """Meeting 1 (a month ago), meeting 2 (closed last week) and their actions."""
    first = make_meeting(world.aurora, 1, days=-30, status=Meeting.Status.CLOSED)
    called = Action.objects.create(
        set=world.aurora,
        owner=world.mo,
        text="Call Sam about the rota",
        committed_in=first,
        status=Action.Status.PARTLY,
        report_note="Sam is on leave until May",
        reported_in=closed,
        reported_at=closed.starts_at,
    )
    meet = Action.objects.create(
        set=world.aurora,
        owner=world.mo,
        text="Meet both team leaders together",
        committed_in=closed,
    )
    fran_reads = Action.objects.create(
        set=world.aurora, owner=world.fran, text="Read up on rota design", committed_in=first
    )
    beacon = make_meeting(world.beacon, 1, days=-7)
    olis = Action.objects.create(
        set=world.beacon, owner=world.oli, text="The Beacon plan", committed_in=beacon
    )
    return {"first": first, "called": called, "meet": meet, "fran": fran_reads, "oli": olis}
