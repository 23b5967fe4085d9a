from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from revans.accounts.models import User

from .models import Membership, Set, SetAccess


def set_access(user: User | AnonymousUser, set_id: int) -> SetAccess:
    """The set with what ``user`` may do in it; 404 when they may not see it at all."""
    if not user.is_authenticated:  # the same 404 ``visible_to`` would give, one query sooner
        raise Http404("No such set")
    set_: Set = get_object_or_404(
        Set.objects.visible_to(user).select_related("programme"), pk=set_id
    )
    membership = Membership.objects.filter(set=set_, user=user).first()
    programme = set_.programme
    manages = programme is not None and programme.managers.filter(pk=user.pk).exists()
    return SetAccess(set_, user, membership, manages)


def content_access(user: User | AnonymousUser, set_id: int) -> SetAccess:
    """For set content: only people in the set. Anyone else gets the same 404 as a missing set."""
    access = set_access(user, set_id)
    if not access.in_set:
        raise Http404("No such set")
    return access


def manage_access(user: User | AnonymousUser, set_id: int) -> SetAccess:
    access = set_access(user, set_id)
    if not access.can_manage:
        raise Http404("No such set")
    return access
