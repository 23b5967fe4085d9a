"""Observed practice (architecture.md §4): a trainee chairs a meeting of a set while an observer,
also in that set, watches through the room and then writes structured feedback.

Who sees what is decided here. An observation never opens a set to anyone: the observer reads
the room only because they are in the set (any role, an observer's included, through the set's
own invitations). The feedback is read by the trainee and the observer alone, never by the
set's other members nor the programme's managers; it is written by the observer, once the
meeting has started and only if they were recorded present at it.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from revans.accounts.models import User
from revans.meetings.models import Attendance, Meeting
from revans.meetings.room.machine import PHASE_TITLES

from .models import Observation, ObservationQuerySet

# The room shows who is observing in every phase, and once the meeting has closed.
ROOM_PHASES = " ".join([*PHASE_TITLES, "closed"])

# The headings the feedback goes under, in the observer's form, the trainee's page and the log.
SECTIONS = (
    ("went_well", "What went well"),
    ("opening_questions", "Questions that opened things up"),
    ("interventions", "Interventions"),
    ("try_next", "What to try next"),
)


def _visible(user: User | AnonymousUser) -> ObservationQuerySet:
    return Observation.objects.visible_to(user).select_related(
        "meeting", "meeting__set", "trainee", "observer"
    )


def observation_of(user: User | AnonymousUser, observation_id: int) -> Observation:
    """The observation for its trainee or its observer; 404 for anyone else."""
    observation: Observation = get_object_or_404(_visible(user), pk=observation_id)
    return observation


def observation_by(user: User | AnonymousUser, observation_id: int) -> Observation:
    """The observation for its observer alone (who writes the feedback); 404 for anyone else,
    the trainee included."""
    observation = observation_of(user, observation_id)
    if observation.observer_id != user.pk:
        raise Http404("No such observation")
    return observation


def observation_for_trainee(user: User | AnonymousUser, observation_id: int) -> Observation:
    """The observation for the trainee observed (who adds it to their log); 404 for anyone
    else."""
    observation = observation_of(user, observation_id)
    if observation.trainee_id != user.pk:
        raise Http404("No such observation")
    return observation


def arranging_refusal(meeting: Meeting) -> str:
    """Why no observation can be arranged for ``meeting`` now, or "" when one can: only for a
    meeting not yet over."""
    if meeting.is_cancelled:
        return "This meeting was cancelled: there is no chairing to observe."
    if meeting.status == Meeting.Status.CLOSED or meeting.is_overdue:
        return (
            f"Meeting {meeting.number} is over: arrange an observation for a meeting that has "
            "not closed yet."
        )
    return ""


def has_started(meeting: Meeting) -> bool:
    """Live or closed, or its time has come (the same rule as the meeting page's)."""
    if meeting.is_cancelled:
        return False
    return meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at <= timezone.now()


def feedback_refusal(observation: Observation) -> str:
    """Why the observer cannot write feedback now, or "": once the meeting has started, and only
    on a session they are recorded present at."""
    meeting = observation.meeting
    if not has_started(meeting):
        return (
            f"Feedback is written once meeting {meeting.number} has started: come back after "
            "you have observed it."
        )
    present = Attendance.objects.filter(
        meeting=meeting, user_id=observation.observer_id, status=Attendance.Status.PRESENT
    ).exists()
    if not present:
        return (
            f"You are not recorded present at meeting {meeting.number}, and feedback on a "
            "session the observer did not attend cannot be written. Ask whoever chaired it to "
            "record your attendance."
        )
    return ""


def feedback_sections(observation: Observation) -> list[tuple[str, str]]:
    """The feedback's written parts as (heading, text), in the form's order."""
    return [
        (heading, getattr(observation, name))
        for name, heading in SECTIONS
        if getattr(observation, name).strip()
    ]


def log_body(observation: Observation) -> str:
    """The log entry's Markdown: the observer's feedback under its headings, with room to write
    what the trainee makes of it."""
    parts = [
        f"{observation.observer.display_name} observed my chairing of "
        f"{observation.meeting.set.name}, meeting {observation.meeting.number}.\n"
    ]
    for heading, text in feedback_sections(observation):
        parts.append(f"## {heading}\n\n{text.strip()}\n")
    parts.append("## What I make of it\n\n")
    return "\n".join(parts)
