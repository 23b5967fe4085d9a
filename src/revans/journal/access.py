"""One getter per model for the journal's views: a log or entry someone may not see answers 404,
the same as one that does not exist (architecture.md §4)."""

from django.shortcuts import get_object_or_404

from .models import Attachment, Entry, Log


def readable_log(user, log_id: int) -> Log:
    """A log ``user`` owns or that is shared with them."""
    return get_object_or_404(Log.objects.visible_to(user).select_related("owner"), pk=log_id)


def own_log(user, log_id: int) -> Log:
    """A log ``user`` may change: their own. A shared reader gets the same 404 as a stranger."""
    return get_object_or_404(Log.objects.owned_by(user), pk=log_id)


def readable_entry(user, entry_id: int) -> Entry:
    return get_object_or_404(
        Entry.objects.visible_to(user).select_related("log", "log__owner", "meeting__set"),
        pk=entry_id,
    )


def own_entry(user, entry_id: int) -> Entry:
    return get_object_or_404(Entry.objects.owned_by(user).select_related("log"), pk=entry_id)


def readable_attachment(user, attachment_id: int) -> Attachment:
    return get_object_or_404(Attachment.objects.visible_to(user), pk=attachment_id)


def own_attachment(user, attachment_id: int) -> Attachment:
    """An attachment ``user`` may delete: one of their own entries'. A reader gets 404."""
    return get_object_or_404(
        Attachment.objects.filter(entry__in=Entry.objects.owned_by(user)).select_related("entry"),
        pk=attachment_id,
    )
