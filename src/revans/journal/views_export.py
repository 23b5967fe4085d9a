"""Downloading a log, or one entry, as Word or PDF: for the author, and for an assessor or
supervisor the log is shared with (they get what they may read: never the author's drafts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from revans.audit.models import Action
from revans.audit.services import record
from revans.core.http import download

from .access import readable_entry, readable_log
from .export import FORMATS, NothingToExport, entry_filename, export_entry, export_log, log_filename


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    return download(content, FORMATS[fmt], filename)  # a learning log is nobody else's


@login_required
def log_export(request, log_id: int, fmt: str):
    log = readable_log(request.user, log_id)
    try:
        content = export_log(log, fmt)
    except NothingToExport as error:
        messages.error(request, str(error))
        return redirect(log)
    record(request.user, Action.EXPORT, log, format=fmt)
    return _download(content, fmt, log_filename(log, fmt))


@login_required
def entry_export(request, entry_id: int, fmt: str):
    entry = readable_entry(request.user, entry_id)
    content = export_entry(entry, fmt)
    record(request.user, Action.EXPORT, entry, format=fmt, log=entry.log_id)
    return _download(content, fmt, entry_filename(entry, fmt))
