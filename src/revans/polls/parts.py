"""What polls add to the set page (``core.parts``, registered in ``apps.py``): the set's open
polls, whether the person has answered, and the way to propose one. Only people in the set see
it (a programme's manager who is not in the set sees nothing of it)."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q

from revans.accounts.models import User
from revans.sets.models import Membership, Set, SetAccess

from .access import may_answer, may_propose
from .models import Poll


def set_page_polls(
    user: User | AnonymousUser, set_: Set, access: SetAccess, memberships: list[Membership]
) -> dict[str, Any]:
    if not access.in_set:
        return {}
    polls = list(
        Poll.objects.visible_to(user)
        .open()
        .filter(set=set_)
        .annotate(
            slot_count=Count("slots", distinct=True),
            my_answers=Count("slots__answers", filter=Q(slots__answers__user=user), distinct=True),
            people=Count("slots__answers__user", distinct=True),
        )
        .order_by("created_at")
    )
    return {
        "polls_part": {
            "open": polls,
            "may_propose": may_propose(access),
            "may_answer": may_answer(access),
        }
    }
