"""Observed practice, its writes (``do_*``, one transaction each): arranging an observation,
cancelling it while its feedback is unwritten, writing the feedback, and the trainee's "Add to
my log". Callers have checked who may do each (``observation.py``)."""

from django.db import transaction
from django.utils import timezone

from revans.accounts.models import User
from revans.journal.models import Entry, Log
from revans.journal.reflect import journal_for
from revans.meetings.models import Meeting

from .models import Observation
from .observation import SECTIONS, log_body


@transaction.atomic
def do_arrange_observation(
    meeting: Meeting, trainee: User, observer: User, arranged_by: User
) -> Observation:
    """``observer`` observes ``trainee``'s chairing of ``meeting``. The form has checked both
    are in the set, are two people, and that ``observer`` does not already observe it; the
    database's constraints hold the last two against a race."""
    return Observation.objects.create(
        meeting=meeting, trainee=trainee, observer=observer, arranged_by=arranged_by
    )


@transaction.atomic
def do_cancel_observation(observation: Observation) -> bool:
    """Removes an observation whose feedback is not written; ``False`` when it was written
    meanwhile (a conditional delete: the feedback is never lost to a race)."""
    deleted, _ = Observation.objects.filter(pk=observation.pk, written_at__isnull=True).delete()
    return deleted > 0


@transaction.atomic
def do_write_feedback(observation: Observation, feedback: dict[str, str]) -> None:
    """Saves the observer's feedback; ``written_at`` is the time of the latest save."""
    for name, _heading in SECTIONS:
        setattr(observation, name, feedback.get(name, ""))
    observation.written_at = timezone.now()
    observation.save(update_fields=[name for name, _ in SECTIONS] + ["written_at"])


@transaction.atomic
def do_add_observation_to_log(user: User, observation: Observation, log: Log | None) -> Entry:
    """A draft entry in ``log`` (or in a new "My set journal", as after a meeting) holding the
    observer's feedback under its headings, linked to the meeting while ``user`` is still in its
    set. Callers check that ``user`` is the trainee, the feedback is written and ``log`` is
    theirs."""
    if log is None:
        log = journal_for(user)
    meeting = observation.meeting
    linked = Meeting.objects.with_content_for(user).filter(pk=meeting.pk).exists()
    return Entry.objects.create(
        log=log,
        title=f"Observed practice: {meeting.set.name}, meeting {meeting.number}",
        entry_date=min(timezone.localdate(meeting.starts_at), timezone.localdate()),
        meeting=meeting if linked else None,
        body=log_body(observation),
        draft=True,
    )
