"""mo's learning logs: an ILM facilitator log with entries, and a past meeting of Aurora."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from revans.journal.models import Entry, Log, Share
from revans.journal.prompts import log_templates
from revans.meetings.models import Meeting
from revans.meetings.testing import make_meeting

ILM = log_templates()["ilm-facilitator-log"]


def make_log(owner, **fields) -> Log:
    fields.setdefault("title", "ILM facilitator log")
    fields.setdefault("template", ILM.slug)
    fields.setdefault("sections", list(ILM.sections))
    fields.setdefault("started_on", timezone.localdate() - timedelta(days=70))
    return Log.objects.create(owner=owner, **fields)


def make_entry(log, **fields) -> Entry:
    fields.setdefault("title", "After meeting two")
    fields.setdefault("body", "We asked open questions and the room went quiet.")
    fields.setdefault("draft", False)
    return Entry.objects.create(log=log, **fields)


def share(log, user, **fields) -> Share:
    """An accepted share of ``log`` with ``user`` (as the sharing views will make it)."""
    item = Share(log=log, email=user.email, user=user, accepted_at=timezone.now(), **fields)
    item.new_token()
    item.save()
    return item


@pytest.fixture
def log(world) -> Log:
    return make_log(world.mo)


@pytest.fixture
def entry(log) -> Entry:
    return make_entry(log, section="Results", tags="questions, silence")


@pytest.fixture
def draft(log) -> Entry:
    return make_entry(log, title="Half a thought", body="Not ready yet", draft=True)


@pytest.fixture
def past_meeting(world) -> Meeting:
    return make_meeting(world.aurora, 1, days=-7, status=Meeting.Status.CLOSED)


@pytest.fixture
def today() -> date:
    return timezone.localdate()
