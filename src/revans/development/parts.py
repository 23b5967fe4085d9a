"""What facilitator development adds to the meeting page and the live room (``core.parts``,
registered in ``apps.py``): the observed practice arranged for the meeting. Only the people in
the set see it; whoever chairs the meeting arranges and cancels observations there."""

from typing import Any

from django.contrib.auth.models import AnonymousUser

from revans.accounts.models import User
from revans.meetings.access import may_chair
from revans.meetings.models import Meeting
from revans.sets.models import SetAccess

from .forms_observation import ArrangeForm
from .models import Observation
from .observation import ROOM_PHASES, arranging_refusal


def _observations(meeting: Meeting) -> list[Observation]:
    return list(
        Observation.objects.filter(meeting=meeting)
        .select_related("trainee", "observer")
        .order_by("arranged_at", "pk")
    )


def meeting_page_observations(
    user: User | AnonymousUser, meeting: Meeting, access: SetAccess
) -> dict[str, Any]:
    """Who observes whose chairing, for everyone in the set; the form to arrange one for
    whoever chairs a meeting not yet over."""
    if not access.in_set:
        return {}
    observations = _observations(meeting)
    chairs = may_chair(meeting, access)
    can_arrange = chairs and not arranging_refusal(meeting)
    if not observations and not can_arrange:
        return {}
    context: dict[str, Any] = {
        "observation_panel": True,
        "observations": observations,
        "can_cancel_observations": chairs,
    }
    if can_arrange:
        memberships = list(
            access.set.memberships.select_related("user").order_by("role", "user__display_name")
        )
        context["arrange_form"] = ArrangeForm(meeting=meeting, memberships=memberships)
    return context


def room_observations(
    user: User | AnonymousUser, meeting: Meeting, access: SetAccess
) -> dict[str, Any]:
    """In the live room, in every phase: who is observing whose chairing, so the set knows an
    observer is present; the chair is reminded to hand over to the trainee."""
    if not access.in_set:
        return {}
    observations = _observations(meeting)
    if not observations:
        return {}
    return {
        "room_observations": observations,
        "observation_phases": ROOM_PHASES,
        "remind_hand_over": may_chair(meeting, access),
    }
