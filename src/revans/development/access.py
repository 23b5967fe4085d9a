"""Who may do what in a facilitators' programme (architecture.md §4): its managers run it (days,
people, outcomes), its trainers sign outcomes off and read the evidence trainees attach, its
trainees see where they stand. Anyone else gets the 404 a missing programme gives."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from revans.accounts.models import User
from revans.programmes.models import Programme

from .models import Evidence, Outcome, Participant, TrainingDay, development_programmes_of


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


def trainer_or_manager_access(user: User | AnonymousUser, programme_id: int) -> DevelopmentAccess:
    """The programme for its trainers and managers (attendance of training days)."""
    access = development_access(user, programme_id)
    if not (access.manages or access.trains):
        raise Http404("No such programme")
    return access


def trainee_access(user: User | AnonymousUser, programme_id: int) -> DevelopmentAccess:
    """The programme for one of its trainees (where they stand, their evidence)."""
    access = development_access(user, programme_id)
    if not access.is_trainee:
        raise Http404("No such programme")
    return access


def trainee_in(access: DevelopmentAccess, user_id: int) -> User:
    """A trainee of ``access.programme``; anyone else (a trainer, a stranger) answers 404."""
    place = (
        Participant.objects.filter(
            programme=access.programme, user_id=user_id, role=Participant.Role.TRAINEE
        )
        .select_related("user")
        .first()
    )
    if place is None:
        raise Http404("No such trainee")
    trainee: User = place.user
    return trainee


def training_day_in(access: DevelopmentAccess, day_id: int) -> TrainingDay:
    day: TrainingDay = get_object_or_404(access.programme.training_days, pk=day_id)
    return day


def participant_in(access: DevelopmentAccess, participant_id: int) -> Participant:
    place: Participant = get_object_or_404(
        access.programme.participants.select_related("user"), pk=participant_id
    )
    return place


def outcome_in(access: DevelopmentAccess, outcome_id: int) -> Outcome:
    outcome: Outcome = get_object_or_404(access.programme.outcomes, pk=outcome_id)
    return outcome


def own_evidence(access: DevelopmentAccess, evidence_id: int) -> Evidence:
    """Evidence the trainee ``access.user`` attached to an outcome of this programme."""
    evidence: Evidence = get_object_or_404(
        Evidence.objects.select_related("outcome"),
        pk=evidence_id,
        trainee=access.user,
        outcome__programme=access.programme,
    )
    return evidence
