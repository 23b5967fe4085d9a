"""Who may answer a survey or a pulse, and who may see figures (architecture.md §4).

A survey is answered by the members of its set, each for themselves; everyone else (the set's
facilitators and observers, the programme's managers, other people) gets the same 404 as a
missing set or meeting. The facilitator does not answer the pulse: it asks members how the
meeting was for them, and the facilitator, who ran it, sees its figures instead. A person reads
only their own answers (``Response.objects.own``); figures, never answers, go to a set's
facilitators and its programme's managers.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from revans.accounts.models import User
from revans.meetings.access import meeting_content_access
from revans.meetings.models import Meeting
from revans.programmes.access import programme_access
from revans.sets.access import set_access
from revans.sets.models import Membership, Role, Set

from .models import ProgrammeQuestion, Response


def member_of(user: User | AnonymousUser, set_id: int) -> Membership:
    """``user``'s membership of the set, when they are one of its members; 404 otherwise."""
    if not user.is_authenticated:
        raise Http404("No such set")
    membership: Membership = get_object_or_404(
        Membership.objects.visible_to(user).select_related("set", "set__programme", "user"),
        set_id=set_id,
        user=user,
        role=Role.MEMBER,
    )
    return membership


def pulse_access(user: User | AnonymousUser, meeting_id: int) -> tuple[Meeting, Membership]:
    """The meeting and ``user``'s membership, for a member of its set; 404 for anyone else."""
    meeting, access = meeting_content_access(user, meeting_id)
    membership = access.membership
    if membership is None or membership.role != Role.MEMBER:
        raise Http404("No such meeting")
    membership.set = access.set
    return meeting, membership


def own_response(user: User | AnonymousUser, response_id: int) -> Response:
    """One of ``user``'s own responses; anyone else's is the 404 of a missing one."""
    response: Response = get_object_or_404(Response.objects.own(user), pk=response_id)
    return response


def figures_access(user: User | AnonymousUser, set_id: int) -> Set:
    """A set whose figures ``user`` may see: its facilitators and its programme's managers.
    Members see their own answers, not the set's figures."""
    access = set_access(user, set_id)
    if not (access.is_facilitator or access.manages_programme):
        raise Http404("No such set")
    return access.set


def programme_question(
    user: User | AnonymousUser, programme_id: int, question_id: int
) -> ProgrammeQuestion:
    """A question of a programme ``user`` manages; 404 for anyone else."""
    programme = programme_access(user, programme_id)
    question: ProgrammeQuestion = get_object_or_404(
        ProgrammeQuestion.objects.filter(programme=programme), pk=question_id
    )
    return question
