"""Who may open a programme, decided here for every programme view (architecture.md §4)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from revans.accounts.models import User
from revans.sets.models import Role

from .models import JoinRequest, Programme


def programme_access(user: User | AnonymousUser, programme_id: int) -> Programme:
    """The programme, for its managers; anyone else, the people in its sets included, gets the
    same 404 as a missing programme."""
    programme: Programme = get_object_or_404(Programme.objects.visible_to(user), pk=programme_id)
    return programme


def open_sets_access(user: User | AnonymousUser, programme_id: int) -> Programme:
    """The programme whose open sets ``user`` may see and ask to join: its managers, the
    people in its sets, and the people of the organisations taking part in it (its sponsor,
    and the organisations of its sets' members). Not the whole of Revans: a programme is bought
    for one group of organisations, and its sets' names and places are theirs. Not the
    organisations of facilitators or observers either: a facilitator's employer supplies the
    programme, it does not take part. Anyone else gets the 404 of a missing programme."""
    if not user.is_authenticated:
        raise Http404("No such programme")
    programme: Programme = get_object_or_404(Programme.objects.open_to(user), pk=programme_id)
    return programme


def join_requests_access(
    user: User | AnonymousUser, programme_id: int
) -> tuple[Programme, "QuerySet[JoinRequest]"]:
    """The programme and the requests to join its sets that ``user`` answers: all of them for
    its managers, those for their own sets for its sets' facilitators. Anyone else gets the 404
    of a missing programme."""
    if not user.is_authenticated:
        raise Http404("No such programme")
    deciders = Q(managers=user) | Q(
        sets__memberships__user=user, sets__memberships__role=Role.FACILITATOR
    )
    programme: Programme = get_object_or_404(
        Programme.objects.filter(deciders).distinct(), pk=programme_id
    )
    requests = JoinRequest.objects.filter(set__programme=programme)
    if not programme.managers.filter(pk=user.pk).exists():
        requests = requests.filter(
            set__memberships__user=user, set__memberships__role=Role.FACILITATOR
        )
    return programme, requests
