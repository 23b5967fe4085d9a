"""What evaluation adds to other apps' pages (``core.parts``, registered in ``apps.py``): the
surveys waiting on the set page, and the pulse on the meeting page and in the live room. Only a
member of the set sees them; every other part of those pages is theirs."""

from typing import Any

from django.contrib.auth.models import AnonymousUser

from revans.accounts.models import User
from revans.meetings.models import Meeting
from revans.sets.models import Membership, Role, Set, SetAccess

from . import offers
from .views import ROOM_PHASES, pulse_context


def _member(access: SetAccess) -> Membership | None:
    membership = access.membership
    if membership is None or membership.role != Role.MEMBER:
        return None
    membership.set = access.set
    return membership


def set_page_surveys(
    user: User | AnonymousUser, set_: Set, access: SetAccess, memberships: list[Membership]
) -> dict[str, Any]:
    """The start and end surveys and the latest pulse waiting for a member of the set."""
    membership = _member(access)
    if membership is None:
        return {}
    [waiting] = offers.waiting_for([membership])
    return {"surveys_waiting": waiting}


def meeting_page_pulse(
    user: User | AnonymousUser, meeting: Meeting, access: SetAccess
) -> dict[str, Any]:
    """The pulse on a meeting's page, for its set's members, once the meeting has started."""
    membership = _member(access)
    if membership is None or offers.pulse_refusal(meeting):
        return {}
    return {"pulse_panel": True, **pulse_context(user, meeting, membership)}


def room_pulse(user: User | AnonymousUser, meeting: Meeting, access: SetAccess) -> dict[str, Any]:
    """The pulse in the live room, shown from the process review on (the room's script shows
    it in those phases): each member answers for themselves, through the pulse's own view."""
    membership = _member(access)
    if membership is None:
        return {}
    context = pulse_context(user, meeting, membership)
    # The room may open before the meeting starts; by its process review it has.
    context["pulse_refusal"] = ""
    return {"room_pulse_panel": True, "room_phases": ROOM_PHASES, "back": "room", **context}
