"""Who may open a meeting, decided here for every meetings view (architecture.md §4).

A meeting's date is seen by the people in its set and the managers of its programme
(``Meeting.objects.visible_to``); what is said in it only by the people in the set
(``Meeting.objects.with_content_for``). Anyone else gets the same 404 as a missing meeting.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from revans.accounts.models import User
from revans.sets.access import set_access
from revans.sets.models import Role, SetAccess

from .models import Meeting


def meeting_access(user: User | AnonymousUser, meeting_id: int) -> tuple[Meeting, SetAccess]:
    """The meeting and what ``user`` may do in its set; 404 when they may not see it. A read:
    a meeting left open past its end shows as ended (``Meeting.is_overdue``) until the
    background sweep closes it."""
    meeting: Meeting = get_object_or_404(
        Meeting.objects.visible_to(user).select_related("set", "format"), pk=meeting_id
    )
    return meeting, set_access(user, meeting.set_id)


def meeting_content_access(
    user: User | AnonymousUser, meeting_id: int
) -> tuple[Meeting, SetAccess]:
    """For what is said in the meeting: only people in its set; anyone else, a programme's
    manager included, gets the same 404 as a missing meeting."""
    meeting, access = meeting_access(user, meeting_id)
    if not access.in_set:
        raise Http404("No such meeting")
    return meeting, access


def meeting_date(user: User | AnonymousUser, meeting_id: int) -> Meeting:
    """The meeting as a date in a calendar, for anyone who may see it (its set's dates)."""
    meeting: Meeting = get_object_or_404(
        Meeting.objects.visible_to(user).select_related("set"), pk=meeting_id
    )
    return meeting


def meeting_with_content(user: User | AnonymousUser, meeting_id: int) -> Meeting:
    """The meeting, for the people in its set only; a plain read that changes nothing."""
    meeting: Meeting = get_object_or_404(
        Meeting.objects.with_content_for(user).select_related("set"), pk=meeting_id
    )
    return meeting


def may_chair(meeting: Meeting, access: SetAccess) -> bool:
    """Who runs this meeting (records its attendance, takes its chair): the set's facilitators,
    and in a meeting the set runs itself (``Meeting.self_facilitated``) any member, as in a
    self-facilitated set."""
    return access.can_chair or (meeting.self_facilitated and access.role == Role.MEMBER)


def may_mark_facilitation(access: SetAccess) -> bool:
    """Who gives out the set's facilitated meetings: its facilitators and its programme's
    managers (not members, even in a self-facilitated set)."""
    return access.is_facilitator or access.manages_programme
