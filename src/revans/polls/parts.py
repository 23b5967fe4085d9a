"""What polls add to the set page (``core.parts``, registered in ``apps.py``): the set's open
polls, whether the person has answered, and the way to propose one. Only people in the set see
it (a programme's manager who is not in the set sees nothing of it)."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q

from revans.accounts.models import User
from revans.meetings.models import Meeting
from revans.sets.models import Membership, Set, SetAccess

from .access import may_answer, may_propose
from .models import Poll


def set_page_polls(
    user: User | AnonymousUser, set_: Set, access: SetAccess, memberships: list[Membership]
) -> dict[str, Any]:
    if not access.in_set:
        return {}
    return {"polls_part": _open_polls(user, set_, access)}


def room_dates(user: User | AnonymousUser, meeting: Meeting, access: SetAccess) -> dict[str, Any]:
    """A taster's "next dates" phase in the live room (``meetings.page.room_page``): the set's
    next meetings and its open polls, with the way to propose one."""
    if not access.in_set or not any(p["kind"] == "dates" for p in meeting.format.phases):
        return {}
    upcoming = (
        Meeting.objects.filter(set_id=meeting.set_id, starts_at__gt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")[:3]
    )
    return {"room_dates": {**_open_polls(user, meeting.set, access), "next": list(upcoming)}}


def _open_polls(user: User | AnonymousUser, set_: Set, access: SetAccess) -> dict[str, Any]:
    polls = list(
        Poll.objects.visible_to(user)
        .current()
        .filter(set=set_)
        .annotate(
            slot_count=Count("slots", distinct=True),
            my_answers=Count("slots__answers", filter=Q(slots__answers__user=user), distinct=True),
            people=Count("slots__answers__user", distinct=True),
        )
        .order_by("created_at")
    )
    return {"open": polls, "may_propose": may_propose(access), "may_answer": may_answer(access)}
