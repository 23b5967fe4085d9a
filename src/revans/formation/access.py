"""Who may open a programme's cohort: its managers, through ``programme_access``; anyone else
gets the 404 of a missing programme (architecture.md §4)."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from revans.accounts.models import User
from revans.programmes.access import programme_access
from revans.programmes.models import Programme

from .models import Cohort


def cohort_access(user: User | AnonymousUser, programme_id: int) -> Cohort:
    """The programme's cohort, whose sets are not yet accepted."""
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme"),
        programme=programme_access(user, programme_id),
    )
    if cohort.accepted_at:
        raise Http404("This cohort's sets were accepted.")
    return cohort


def import_access(user: User | AnonymousUser, programme_id: int) -> tuple[Programme, Cohort | None]:
    """The programme and the cohort an import would replace (none may be accepted)."""
    programme = programme_access(user, programme_id)
    existing = Cohort.objects.filter(programme=programme).first()
    if existing and existing.accepted_at:
        raise Http404("This cohort's sets were accepted.")
    return programme, existing
