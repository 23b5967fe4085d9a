"""Forming a programme's sets from its cohort, the cohort itself: its page, importing its file,
its settings and its pairs. The programme's managers only; anyone else gets 404, as for a
programme that does not exist (access.py). The runs and the proposal are in views_board.py."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from revans.accounts.http import AuthenticatedHttpRequest
from revans.core.forms import id_from
from revans.core.limits import accepts_uploads, size_text, upload_refusal
from revans.programmes.access import programme_access
from revans.programmes.models import Programme

from . import imports, review, runs
from .access import cohort_access, import_access
from .forms import CohortSettingsForm, CohortUploadForm, PairForm
from .models import Cohort, Participant
from .views_board import board_context

UPLOAD_KEY = "cohort_upload"


@login_required
def cohort_page(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The cohort: import it, set the rules, run, review and accept."""
    programme = programme_access(request.user, programme_id)
    cohort = Cohort.objects.filter(programme=programme).first()
    if cohort is None:
        return TemplateResponse(
            request,
            "formation/cohort_import.html",
            {"programme": programme, "form": CohortUploadForm()},
        )
    if cohort.accepted_at:
        return TemplateResponse(
            request, "formation/cohort_accepted.html", {"programme": programme, "cohort": cohort}
        )
    context = board_context(
        cohort,
        find=review.clean_find(request.GET.get("find", "")),
        settings_form=CohortSettingsForm(instance=cohort),
    )
    return TemplateResponse(request, "formation/cohort.html", context)


@accepts_uploads(lambda: imports.MAX_FILE_BYTES)
@login_required
def cohort_import(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Upload a cohort file and see it checked; nothing is saved until it is clean and
    confirmed."""
    programme, existing = import_access(request.user, programme_id)
    form = CohortUploadForm(request.POST or None, request.FILES or None)
    if upload_refusal(request):  # the file passed the limit and was not kept
        most = size_text(imports.MAX_FILE_BYTES)
        form.errors["file"] = form.error_class(
            [f"The file is over {most}; at most {most} can be imported."]
        )
    context = {"programme": programme, "form": form, "replacing": existing}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        similar_are_new = form.cleaned_data["similar_are_new"]
        preview = imports.preview_import(data, upload.name, similar_are_new)
        context["preview"] = preview
        if preview.ok:
            request.session[UPLOAD_KEY] = {
                "programme": programme.pk,
                "name": upload.name,
                "data": base64.b64encode(data).decode("ascii"),
                "similar_are_new": similar_are_new,
            }
    return TemplateResponse(request, "formation/cohort_import.html", context)


@login_required
@require_POST
def cohort_import_confirm(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme, existing = import_access(request.user, programme_id)
    stored = request.session.get(UPLOAD_KEY)
    if not stored or stored.get("programme") != programme.pk:
        messages.error(request, "Upload the cohort file again: the checked file was not found.")
        return redirect("cohort_import", programme.pk)
    if existing and runs.active_run(existing):
        messages.error(request, "Wait for the run to finish, or cancel it, before importing.")
        return redirect("cohort", programme.pk)
    preview = imports.preview_import(
        base64.b64decode(stored["data"]), stored["name"], stored.get("similar_are_new", False)
    )
    if not preview.ok:  # organisations may have changed since the preview
        return TemplateResponse(
            request,
            "formation/cohort_import.html",
            {"programme": programme, "form": CohortUploadForm(), "preview": preview},
        )
    cohort = imports.do_import(programme, preview, request.user)
    del request.session[UPLOAD_KEY]
    messages.success(
        request,
        f"{len(preview.people)} people imported from {preview.file_name}. "
        "Check the rules and settings, then form the sets.",
    )
    return redirect("cohort", cohort.programme_id)


@login_required
@require_POST
def cohort_settings(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    cohort = cohort_access(request.user, programme_id)
    # The form checks its own copy: a refused setting never shows on the page as if saved
    # (a ModelForm writes what it was sent into its instance while it checks it).
    form = CohortSettingsForm(request.POST, instance=Cohort.objects.get(pk=cohort.pk))
    if form.is_valid():
        form.save()
        messages.success(request, "Settings saved. Form the sets again to apply them.")
        return redirect("cohort", programme_id)
    context = board_context(cohort, settings_form=form)
    return TemplateResponse(request, "formation/cohort.html", context, status=400)


@login_required
def cohort_pairs(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Manager and report pairs and keep-apart pairs: never in the same set."""
    cohort = cohort_access(request.user, programme_id)
    form = PairForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        first, second = form.cleaned_data["first"], form.cleaned_data["second"]
        if form.cleaned_data["kind"] == "manager":
            second.manager = first
            second.save(update_fields=["manager"])
            messages.success(request, f"{first} manages {second}: they will be in different sets.")
        else:
            first.keep_apart.add(second)
            messages.success(request, f"{first} and {second} will be kept apart.")
        return redirect("cohort_pairs", programme_id)
    people = cohort.participants.select_related("manager", "organisation")
    context = {
        "programme": cohort.programme,
        "cohort": cohort,
        "form": form,
        "managed": [p for p in people if p.manager_id],
        "apart": _apart_pairs(cohort),
        "emails": cohort.participants.values_list("email", "name"),
    }
    return TemplateResponse(request, "formation/cohort_pairs.html", context)


def _apart_pairs(cohort: Cohort) -> list[tuple[Participant, Participant]]:
    through = Participant.keep_apart.through.objects.filter(
        from_participant__cohort=cohort, from_participant_id__lt=F("to_participant_id")
    ).select_related("from_participant__organisation", "to_participant__organisation")
    return [(t.from_participant, t.to_participant) for t in through]


@login_required
@require_POST
def cohort_pair_remove(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    cohort = cohort_access(request.user, programme_id)
    first = get_object_or_404(cohort.participants, pk=id_from(request.POST.get("first", "")) or 0)
    kind = request.POST.get("kind")
    if kind == "manager":
        first.manager = None
        first.save(update_fields=["manager"])
        messages.success(request, f"{first} no longer has a manager in this cohort.")
    elif kind == "apart":
        second = get_object_or_404(
            cohort.participants, pk=id_from(request.POST.get("second", "")) or 0
        )
        first.keep_apart.remove(second)
        messages.success(request, f"{first} and {second} may now share a set.")
    else:
        messages.error(request, "Choose which pair to remove.")
    return redirect("cohort_pairs", programme_id)


def programme_cohort(programme: Programme) -> dict[str, Cohort | None]:
    """The programme page's part (``programmes.page``): its cohort and how many people it holds,
    for the "Form sets" button."""
    cohort = (
        Cohort.objects.filter(programme=programme)
        .annotate(participant_count=Count("participants"))
        .first()
    )
    return {"cohort": cohort}
