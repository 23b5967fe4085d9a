"""What changes a set's date polls; each function is one whole change in one transaction, and
the e-mails it causes are queued once the change is committed (never for one rolled back).

Choosing a time makes the meeting through the meetings app's own ``do_create_schedule``: it is
numbered with the set's other meetings, appears in everyone's calendar feed and gets its
reminders, exactly as a meeting added by hand.
"""

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from revans.accounts.models import User
from revans.meetings import services as meeting_services
from revans.meetings.models import Meeting, MeetingFormat
from revans.sets.models import Membership, Set, SetAccess

from . import emails, slots
from .access import ANSWERING_ROLES, may_decide
from .models import Answer, Poll, Slot


def _answers_in(set_id: int, user: User) -> bool:
    """Whether ``user`` is one of the set's facilitators or members now."""
    return Membership.objects.filter(set_id=set_id, user=user, role__in=ANSWERING_ROLES).exists()


def _access(poll: Poll, user: User) -> SetAccess:
    membership = Membership.objects.filter(set_id=poll.set_id, user=user).first()
    return SetAccess(poll.set, user, membership, manages_programme=False)


@transaction.atomic
def do_create_poll(
    set_: Set,
    user: User,
    starts: list[datetime],
    *,
    title: str,
    note: str,
    duration_minutes: int,
    meeting_format: MeetingFormat,
    zone: str,
) -> Poll:
    """A new open poll with its times; everyone else who answers in the set is asked by
    e-mail. Raises ValidationError, saving nothing, for someone who may not propose or for
    times that cannot make a poll (``slots.problems``)."""
    if not _answers_in(set_.pk, user):
        raise ValidationError("Only the set's facilitators and members propose dates.")
    found = slots.problems(starts, timezone.now())
    if found:
        raise ValidationError(found)
    if not MeetingFormat.objects.for_set(set_).filter(pk=meeting_format.pk).exists():
        raise ValidationError("Choose one of the set's meeting formats.")
    poll = Poll.objects.create(
        set=set_,
        created_by=user,
        title=title.strip() or "Our next meeting",
        note=note.strip(),
        duration_minutes=duration_minutes,
        format=meeting_format,
        time_zone=zone,
    )
    Slot.objects.bulk_create(Slot(poll=poll, starts_at=start) for start in sorted(starts))
    emails.invite_after_commit(poll)
    return poll


@transaction.atomic
def do_answer(poll: Poll, user: User, choices: Mapping[int, str]) -> int:
    """Records ``user``'s answer to each of the poll's times (by slot id), replacing earlier
    ones; returns how many. Refuses (ValidationError, nothing saved) a closed poll, someone who
    does not answer in the set, a time of another poll and an answer that is not one."""
    locked = Poll.objects.select_for_update().filter(pk=poll.pk).first()
    if locked is None or not locked.is_open:
        raise ValidationError("This poll is closed: it no longer takes answers.")
    if not _answers_in(locked.set_id, user):
        raise ValidationError("Only the set's facilitators and members answer its polls.")
    own = set(Slot.objects.filter(poll=locked).values_list("pk", flat=True))
    if not choices:
        raise ValidationError("Answer at least one of the times.")
    if not set(choices) <= own:
        raise ValidationError("That time is not one of this poll's.")
    if not set(choices.values()) <= set(Answer.Choice.values):
        raise ValidationError("Answer each time yes, if need be or no.")
    Answer.objects.bulk_create(
        [Answer(slot_id=slot_id, user=user, choice=choice) for slot_id, choice in choices.items()],
        update_conflicts=True,
        unique_fields=["slot", "user"],
        update_fields=["choice", "updated_at"],
    )
    return len(choices)


@transaction.atomic
def do_choose(poll: Poll, slot_id: int, user: User) -> tuple[Meeting, bool]:
    """Makes the chosen time a meeting of the set and closes the poll; the set hears of it.

    Returns the meeting and whether it was made now: choosing the same time again (a double
    submit) gives the meeting already made and makes no other. Refuses with ValidationError
    someone who may not decide, a time of another poll, a time already past, and a poll
    already decided another way."""
    locked = Poll.objects.select_for_update().select_related("set", "format").get(pk=poll.pk)
    if not may_decide(locked, _access(locked, user)):
        raise ValidationError("Only whoever chairs the set, or proposed the poll, chooses.")
    slot = Slot.objects.filter(pk=slot_id, poll=locked).first()
    if slot is None:
        raise ValidationError("That time is not one of this poll's: choose one of its times.")
    if locked.status == Poll.Status.CHOSEN:
        meeting = locked.meeting
        if locked.chosen_slot_id == slot.pk and meeting is not None:
            return meeting, False
        raise ValidationError("A time has already been chosen for this poll.")
    if locked.status == Poll.Status.CLOSED:
        raise ValidationError("This poll was closed without a date.")
    now = timezone.now()
    if slot.starts_at <= now:
        raise ValidationError("That time has passed: choose one still to come.")
    # A conditional update (only the first of two choosers changes the row), then the meeting.
    claimed = Poll.objects.filter(pk=locked.pk, status=Poll.Status.OPEN).update(
        status=Poll.Status.CHOSEN, chosen_slot=slot, closed_by=user, closed_at=now
    )
    if claimed != 1:
        raise ValidationError("Someone decided this poll a moment ago: see its page.")
    set_ = locked.set
    (meeting,) = meeting_services.do_create_schedule(
        set_,
        [slot.starts_at],
        zone=locked.time_zone,
        duration_minutes=locked.duration_minutes,
        meeting_format=locked.format,
        place=set_.place,
        video_link=set_.video_link,
    )
    Poll.objects.filter(pk=locked.pk).update(meeting=meeting)
    emails.tell_chosen_after_commit(locked.pk, user.pk)
    return meeting, True


@transaction.atomic
def do_close(poll: Poll, user: User) -> bool:
    """Closes the poll without choosing a time; False when it was not open any more."""
    locked = Poll.objects.select_for_update().select_related("set").get(pk=poll.pk)
    if not may_decide(locked, _access(locked, user)):
        raise ValidationError("Only whoever chairs the set, or proposed the poll, closes it.")
    changed = Poll.objects.filter(pk=locked.pk, status=Poll.Status.OPEN).update(
        status=Poll.Status.CLOSED, closed_by=user, closed_at=timezone.now()
    )
    return changed == 1
