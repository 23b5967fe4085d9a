from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership, Set, SetAccess


def set_access(user, set_id: int) -> SetAccess:
    """The set with what ``user`` may do in it; 404 when they may not see it at all."""
    set_ = get_object_or_404(Set.objects.visible_to(user).select_related("programme"), pk=set_id)
    membership = Membership.objects.filter(set=set_, user=user).first()
    manages = bool(set_.programme_id) and set_.programme.managers.filter(pk=user.pk).exists()
    return SetAccess(set_, user, membership, manages)


def content_access(user, set_id: int) -> SetAccess:
    """For set content: only people in the set. Anyone else gets the same 404 as a missing set."""
    access = set_access(user, set_id)
    if not access.in_set:
        raise Http404("No such set")
    return access


def manage_access(user, set_id: int) -> SetAccess:
    access = set_access(user, set_id)
    if not access.can_manage:
        raise Http404("No such set")
    return access
