"""The programme's part of the set page (``sets.page``, architecture.md §6): who leads the
set's programme and how to reach them, for everyone who sees the set. Names and the
programme's own contact line only: nothing about the set's content goes either way."""

from typing import Any

from django.contrib.auth.models import AnonymousUser

from revans.accounts.models import User
from revans.sets.models import Membership, Set, SetAccess


def programme_leaders(
    user: User | AnonymousUser, set_: Set, access: SetAccess, memberships: list[Membership]
) -> dict[str, Any]:
    """The programme's name, its managers' names and its contact line (one query), or
    nothing for a set on its own."""
    programme = set_.programme
    if programme is None:
        return {}
    names = list(
        programme.managers.order_by("display_name", "pk").values_list("display_name", flat=True)
    )
    return {
        "programme_leaders": {
            "programme": programme,
            "names": names,
            "contact": programme.contact,
            "manages": access.manages_programme,
            # Who answers requests to join the set: its facilitators and the managers.
            "answers_requests": access.is_facilitator or access.manages_programme,
        }
    }
