"""One getter per model for the journal's views: a log or entry someone may not see answers 404,
the same as one that does not exist (architecture.md §4)."""

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404

from revans.accounts.models import User

from .models import Attachment, Entry, Log


def readable_log(user: User | AnonymousUser, log_id: int) -> Log:
    """A log ``user`` owns or that is shared with them."""
    log: Log = get_object_or_404(Log.objects.visible_to(user).select_related("owner"), pk=log_id)
    return log


def own_log(user: User | AnonymousUser, log_id: int) -> Log:
    """A log ``user`` may change: their own. A shared reader gets the same 404 as a stranger."""
    log: Log = get_object_or_404(Log.objects.owned_by(user), pk=log_id)
    return log


def readable_entry(user: User | AnonymousUser, entry_id: int) -> Entry:
    entry: Entry = get_object_or_404(
        Entry.objects.visible_to(user).select_related("log", "log__owner", "meeting__set"),
        pk=entry_id,
    )
    return entry


def own_entry(user: User | AnonymousUser, entry_id: int) -> Entry:
    entry: Entry = get_object_or_404(
        Entry.objects.owned_by(user).select_related("log"), pk=entry_id
    )
    return entry


def readable_attachment(user: User | AnonymousUser, attachment_id: int) -> Attachment:
    attachment: Attachment = get_object_or_404(
        Attachment.objects.visible_to(user), pk=attachment_id
    )
    return attachment


def own_attachment(user: User | AnonymousUser, attachment_id: int) -> Attachment:
    """An attachment ``user`` may delete: one of their own entries'. A reader gets 404."""
    attachment: Attachment = get_object_or_404(
        Attachment.objects.filter(entry__in=Entry.objects.owned_by(user)).select_related("entry"),
        pk=attachment_id,
    )
    return attachment
