"""Who may do what in a facilitators' programme (architecture.md §4): its managers run it (days,
people, outcomes), its trainers sign outcomes off and read the evidence trainees attach, its
trainees see where they stand. Anyone else gets the 404 a missing programme gives."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from revans.accounts.models import User
from revans.programmes.models import Programme

from .models import Participant, development_programmes_of


@dataclass(frozen=True)
class DevelopmentAccess:
    programme: Programme
    user: User
    manages: bool
    role: str | None  # Participant.Role, or None for a manager who is neither

    @property
    def trains(self) -> bool:
        return self.role == Participant.Role.TRAINER

    @property
    def is_trainee(self) -> bool:
        return self.role == Participant.Role.TRAINEE


def development_access(user: User | AnonymousUser, programme_id: int) -> DevelopmentAccess:
    """The facilitators' programme with ``user``'s part in it; 404 for anyone without one."""
    if not user.is_authenticated:
        raise Http404("No such programme")
    programme = development_programmes_of(user).filter(pk=programme_id).distinct().first()
    if programme is None:
        raise Http404("No such programme")
    assert isinstance(user, User)
    role = (
        Participant.objects.filter(programme=programme, user=user)
        .values_list("role", flat=True)
        .first()
    )
    manages = programme.managers.filter(pk=user.pk).exists()
    return DevelopmentAccess(programme, user, manages, role)


def manager_access(user: User | AnonymousUser, programme_id: int) -> DevelopmentAccess:
    access = development_access(user, programme_id)
    if not access.manages:
        raise Http404("No such programme")
    return access


def trainer_access(user: User | AnonymousUser, programme_id: int) -> DevelopmentAccess:
    access = development_access(user, programme_id)
    if not access.trains:
        raise Http404("No such programme")
    return access
