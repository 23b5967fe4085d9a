"""The programme dashboard and the sponsor's reports (PDF, CSV, XLSX), for the programme's
managers: one computation (``report.programme_report``) behind every page and file. Counts,
rates and means only (architecture.md §4)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from revans.accounts.http import AuthenticatedHttpRequest
from revans.audit.models import Action
from revans.audit.services import record
from revans.core.http import download
from revans.programmes.access import programme_access

from .delivery import month_range
from .exports import report_csv, report_pdf, report_xlsx
from .figures import MIN_PEOPLE, WITHHELD
from .report import METHOD, ProgrammeReport, current_report, report_file

SETS_PER_PAGE = 20


def _chart_data(report: ProgrammeReport) -> dict[str, Any]:
    """What evidence.js draws; each chart has a table with the same figures on the page."""
    d = report.delivery
    charts: dict[str, Any] = {
        "meetings": {
            "type": "bar",
            "stacked": True,
            "labels": [m.month.strftime("%b %Y") for m in d.months],
            "series": [
                {"name": "Held", "values": [m.held for m in d.months]},
                {"name": "Missed", "values": [m.missed for m in d.months]},
                {"name": "Planned", "values": [m.planned for m in d.months]},
            ],
        }
    }
    points = report.figures.pulse_over_time
    if any(not f.withheld for p in points for f in p.figures):
        # Every month from the first pulse to the last: a month without one is a gap in the line.
        by_month = {p.on.replace(day=1): p for p in points}
        questions = [f.question.text for f in report.figures.pulse]
        months = month_range(by_month)
        charts["pulse"] = {
            "type": "line",
            "min": 1,
            "max": 5,
            "labels": [m.strftime("%b %Y") for m in months],
            "series": [
                {
                    "name": text,
                    "values": [
                        by_month[m].figures[i].mean if m in by_month else None for m in months
                    ],
                }
                for i, text in enumerate(questions)
            ],
        }
    change = [c for c in report.figures.change if not c.withheld]
    if change:
        charts["change"] = {
            "type": "bar",
            "min": 1,
            "max": 5,
            "horizontal": True,
            "labels": [c.question.label for c in change],
            "series": [
                {"name": "Start", "values": [c.start_mean for c in change]},
                {"name": "End", "values": [c.end_mean for c in change]},
            ],
        }
    return charts


@login_required
def programme_dashboard(request: AuthenticatedHttpRequest, programme_id: int) -> TemplateResponse:
    """The programme's delivery and evidence of benefit at a glance, with a "slipping" flag for
    the sets that need a word from their manager."""
    programme = programme_access(request.user, programme_id)
    report = current_report(programme)
    page = Paginator(report.sets, SETS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "programme": programme,
        "report": report,
        "delivery": report.delivery,
        "figures": report.figures,
        "charts": _chart_data(report),
        "method": METHOD,
        "min_people": MIN_PEOPLE,
        "withheld": WITHHELD,
        "refreshes_every": settings.EVIDENCE_SECONDS // 60,
    }
    return TemplateResponse(request, "evaluation/programme_dashboard.html", context)


@require_POST
@login_required
def programme_dashboard_refresh(
    request: AuthenticatedHttpRequest, programme_id: int
) -> HttpResponse:
    """Makes the programme's figures again now, for the dashboard and every file."""
    programme = programme_access(request.user, programme_id)
    current_report(programme, refresh=True)
    messages.success(request, "Figures made again from the latest records.")
    return redirect("programme_dashboard", programme_id=programme.pk)


def _file_name(report: ProgrammeReport, extension: str) -> str:
    stem = slugify(report.programme.name) or "programme"
    return f"{stem}-report-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
def programme_report_pdf(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    report = current_report(programme_access(request.user, programme_id))
    content = report_file(report, "pdf", report_pdf)
    record(request.user, Action.EXPORT, report.programme, format="pdf", what="report")
    return download(content, "application/pdf", _file_name(report, "pdf"))


@login_required
def programme_report_csv(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    report = current_report(programme_access(request.user, programme_id))
    content = report_file(report, "csv", report_csv)
    record(request.user, Action.EXPORT, report.programme, format="csv", what="report")
    return download(content, "text/csv; charset=utf-8", _file_name(report, "csv"))


@login_required
def programme_report_xlsx(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    report = current_report(programme_access(request.user, programme_id))
    content = report_file(report, "xlsx", report_xlsx)
    record(request.user, Action.EXPORT, report.programme, format="xlsx", what="report")
    return download(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _file_name(report, "xlsx"),
    )
