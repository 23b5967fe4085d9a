"""Who may do what with a set's date polls (architecture.md §4), decided here for every view.

A poll is set content: the people in the set see it; anyone else, a programme's manager who is
not in the set included, gets the same 404 as a missing poll. Facilitators and members propose
and answer; observers see the poll but do not answer (they sit in on the set's meetings, they do
not set its dates). Whoever chairs the set, or the poll's proposer, chooses a time or closes it.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from revans.accounts.models import User
from revans.sets.access import content_access
from revans.sets.models import Role, SetAccess

from .models import Poll

ANSWERING_ROLES = (Role.FACILITATOR, Role.MEMBER)


def may_propose(access: SetAccess) -> bool:
    return access.role in ANSWERING_ROLES


def may_answer(access: SetAccess) -> bool:
    return access.role in ANSWERING_ROLES


def may_decide(poll: Poll, access: SetAccess) -> bool:
    """Chooses the time or closes the poll: whoever chairs the set, or whoever proposed it
    (while they are still in the set to answer)."""
    if access.can_chair:
        return True
    return may_answer(access) and poll.created_by_id == access.user.pk


def poll_access(user: User | AnonymousUser, poll_id: int) -> tuple[Poll, SetAccess]:
    """The poll and what ``user`` may do in its set; 404 for anyone not in the set."""
    poll: Poll = get_object_or_404(
        Poll.objects.visible_to(user).select_related("set", "format", "created_by"), pk=poll_id
    )
    access = content_access(user, poll.set_id)
    poll.set = access.set
    return poll, access


def propose_access(user: User | AnonymousUser, set_id: int) -> SetAccess:
    """The set, for someone who may propose a poll in it; 404 for anyone else."""
    access = content_access(user, set_id)
    if not may_propose(access):
        raise Http404("No such set")
    return access
