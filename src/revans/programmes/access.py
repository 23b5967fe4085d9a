"""Who may open a programme, decided here for every programme view (architecture.md §4)."""

from django.shortcuts import get_object_or_404

from .models import Programme


def programme_access(user, programme_id: int) -> Programme:
    """The programme, for its managers; anyone else, the people in its sets included, gets the
    same 404 as a missing programme."""
    return get_object_or_404(Programme.objects.visible_to(user), pk=programme_id)
