"""A facilitator's practice record (``record.py``): the page, with the entries they add, edit and
delete, and the record as PDF and CSV for an accrediting body. Everyone signed in has one, and
only their own: another person's entry answers 404 like a missing one."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from revans.accounts.http import AuthenticatedHttpRequest
from revans.audit.models import Action
from revans.audit.services import record
from revans.core.http import download

from . import services_record
from .export_record import record_csv, record_pdf
from .forms_record import PeriodForm, PracticeEntryForm
from .models import PracticeEntry
from .record import hours, practice_record, profile_line


def own_entry(user, entry_id: int) -> PracticeEntry:
    """One of ``user``'s own practice entries; anyone else's answers 404."""
    entry = PracticeEntry.objects.visible_to(user).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry")
    return entry


def _query(period: PeriodForm) -> str:
    start, end = period.period()
    pairs = [(k, v.isoformat()) for k, v in (("from", start), ("to", end)) if v is not None]
    return "?" + urlencode(pairs) if pairs else ""


@login_required
def practice_record_page(request: AuthenticatedHttpRequest) -> TemplateResponse | HttpResponse:
    """The person's record over the period asked for; posting adds an entry to it."""
    period = PeriodForm(request.GET)
    start, end = period.period()
    form = PracticeEntryForm(
        request.POST or None,
        user=request.user,
        initial={"on": timezone.localdate()},
        prefix="entry",
    )
    if request.method == "POST" and form.is_valid():
        entry = services_record.do_save_practice_entry(request.user, form.save(commit=False))
        messages.success(request, f"Added: {entry.get_kind_display()}, {entry.title}.")
        return redirect(reverse("practice_record") + _query(period))
    record = practice_record(request.user, start, end)
    query = _query(period)
    context = {
        "record": record,
        "profile_line": profile_line(request.user),
        "summary": record.summary(),
        "entries": [(entry, hours(entry.hours)) for entry in record.entries],
        "period": period,
        "query": query,
        "form": form,
    }
    return TemplateResponse(request, "development/practice_record.html", context)


@login_required
def practice_entry_edit(
    request: AuthenticatedHttpRequest, entry_id: int
) -> TemplateResponse | HttpResponse:
    entry = own_entry(request.user, entry_id)
    form = PracticeEntryForm(request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        services_record.do_save_practice_entry(request.user, form.save(commit=False))
        messages.success(request, "Entry saved.")
        return redirect("practice_record")
    return TemplateResponse(
        request, "development/practice_entry_form.html", {"form": form, "entry": entry}
    )


@require_POST
@login_required
def practice_entry_delete(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    entry = own_entry(request.user, entry_id)
    services_record.do_delete_practice_entry(request.user, entry.pk)
    messages.success(request, f"Deleted: {entry.title} on {entry.on.day} {entry.on:%B %Y}.")
    return redirect("practice_record")


def _file_name(request: AuthenticatedHttpRequest, extension: str) -> str:
    stem = slugify(request.user.display_name) or "facilitator"
    return f"{stem}-practice-record-{timezone.localdate():%Y-%m-%d}.{extension}"


def _recorded(request: AuthenticatedHttpRequest, fmt: str) -> None:
    """The audit log's event for a facilitator's download of their own practice record."""
    record(request.user, Action.EXPORT, request.user, format=fmt, what="practice_record")


@login_required
def practice_record_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    period = PeriodForm(request.GET)
    if not period.is_valid():
        return redirect(reverse("practice_record") + "?" + request.GET.urlencode())
    practice = practice_record(request.user, *period.period())
    content = record_pdf(practice)
    _recorded(request, "pdf")
    return download(content, "application/pdf", _file_name(request, "pdf"))


@login_required
def practice_record_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    period = PeriodForm(request.GET)
    if not period.is_valid():
        return redirect(reverse("practice_record") + "?" + request.GET.urlencode())
    practice = practice_record(request.user, *period.period())
    content = record_csv(practice)
    _recorded(request, "csv")
    return download(content, "text/csv; charset=utf-8", _file_name(request, "csv"))
