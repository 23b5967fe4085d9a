"""What the dashboard shows of facilitator development: the facilitators' programmes a person
is in, with their part in each (read only; the dashboard itself lives in ``site``)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from revans.accounts.models import User
from revans.programmes.models import Programme

from .models import Participant


@dataclass(frozen=True)
class DevelopmentPlace:
    programme: Programme
    role: str  # "manager", "trainer" or "trainee"

    @property
    def role_label(self) -> str:
        return {"manager": "Programme manager", "trainer": "Trainer", "trainee": "Trainee"}[
            self.role
        ]

    @property
    def url(self) -> str:
        """The programme's page; a trainee goes straight to where they stand."""
        name = "development_my_outcomes" if self.role == "trainee" else "development_programme"
        return reverse(name, args=[self.programme.pk])


def programmes_for(
    user: User, managed: Iterable[Programme] | None = None
) -> list[DevelopmentPlace]:
    """The facilitators' programmes ``user`` manages, trains in or is a trainee of, by start
    date, in two queries (one when the caller has the programmes ``user`` manages already, as
    the dashboard has). Someone who manages and trains too is listed once, as a trainer."""
    places: dict[int, DevelopmentPlace] = {}
    if managed is None:
        managed = Programme.objects.filter(kind=Programme.Kind.DEVELOPMENT, managers=user)
    for programme in managed:
        if programme.kind == Programme.Kind.DEVELOPMENT:
            places[programme.pk] = DevelopmentPlace(programme, "manager")
    for place in Participant.objects.filter(
        user=user, programme__kind=Programme.Kind.DEVELOPMENT
    ).select_related("programme"):
        places[place.programme_id] = DevelopmentPlace(place.programme, place.role)
    return sorted(
        places.values(), key=lambda p: (p.programme.starts_on, p.programme.name, p.programme.pk)
    )
