"""The writes of a facilitator's practice record: their own entries of practice (architecture.md
§6), ``do_*`` functions, one transaction each. An entry is its author's alone: every write
takes the author and touches only their entries."""

from django.db import transaction

from revans.accounts.models import User

from .models import PracticeEntry


@transaction.atomic
def do_save_practice_entry(user: User, entry: PracticeEntry) -> PracticeEntry:
    """Adds ``entry`` to ``user``'s record, or saves their changes to it."""
    if entry.pk is not None and entry.user_id != user.pk:
        raise PracticeEntry.DoesNotExist
    entry.user = user
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def do_delete_practice_entry(user: User, entry_id: int) -> None:
    deleted, _ = PracticeEntry.objects.visible_to(user).filter(pk=entry_id).delete()
    if not deleted:
        raise PracticeEntry.DoesNotExist
