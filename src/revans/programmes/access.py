"""Who may open a programme, decided here for every programme view (architecture.md §4)."""

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404

from revans.accounts.models import User

from .models import Programme


def programme_access(user: User | AnonymousUser, programme_id: int) -> Programme:
    """The programme, for its managers; anyone else, the people in its sets included, gets the
    same 404 as a missing programme."""
    programme: Programme = get_object_or_404(Programme.objects.visible_to(user), pk=programme_id)
    return programme
