"""Forming a programme's sets from its cohort: the programme's managers only; anyone else gets
404, as for a programme that does not exist."""

import base64
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from revans.core import csv as safe_csv
from revans.core.forms import id_from
from revans.core.limits import accepts_uploads, size_text, upload_refusal

from . import formation, review
from .access import programme_access
from .forms import CohortSettingsForm, CohortUploadForm, FacilitatorPoolForm, PairForm
from .models import Cohort, FormationRun, Participant, Programme

UPLOAD_KEY = "cohort_upload"


def _cohort(request, programme_id: int) -> Cohort:
    """The programme's cohort, whose sets are not yet accepted."""
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme"),
        programme=programme_access(request.user, programme_id),
    )
    if cohort.accepted_at:
        raise Http404("This cohort's sets were accepted.")
    return cohort


def _importable(request, programme_id: int) -> tuple[Programme, Cohort | None]:
    """The programme and the cohort an import would replace (none may be accepted)."""
    programme = programme_access(request.user, programme_id)
    existing = Cohort.objects.filter(programme=programme).first()
    if existing and existing.accepted_at:
        raise Http404("This cohort's sets were accepted.")
    return programme, existing


def _board_context(cohort: Cohort, find: str = "", **extra) -> dict:
    run = formation.active_run(cohort)
    board = None
    problems: list[str] = []
    if run is None:
        try:
            board = formation.board_for(cohort)
        except formation.CohortError as error:
            problems = error.errors
    scale = review.read(board, find) if board else None
    last = cohort.runs.exclude(status__in=FormationRun.ACTIVE).first()
    pool = list(cohort.facilitators.select_related("organisation"))
    return {
        "programme": cohort.programme,
        "cohort": cohort,
        "run": run,
        "last_run": last,
        "board": board,
        "scale": scale,
        "find": find,
        "found": sum(not s.hidden for s in board.sets) if board else 0,
        "board_problems": problems,
        "facilitator_problems": formation.facilitator_problems(cohort, board) if board else {},
        "pool": pool,
        "participant_count": cohort.participants.count(),
        **extra,
    }


@login_required
def cohort_page(request, programme_id: int):
    """The cohort: import it, set the rules, run, review and accept."""
    programme = programme_access(request.user, programme_id)
    cohort = Cohort.objects.filter(programme=programme).first()
    if cohort is None:
        return TemplateResponse(
            request,
            "programmes/cohort_import.html",
            {"programme": programme, "form": CohortUploadForm()},
        )
    if cohort.accepted_at:
        return TemplateResponse(
            request, "programmes/cohort_accepted.html", {"programme": programme, "cohort": cohort}
        )
    context = _board_context(
        cohort,
        find=review.clean_find(request.GET.get("find", "")),
        settings_form=CohortSettingsForm(instance=cohort),
    )
    return TemplateResponse(request, "programmes/cohort.html", context)


@accepts_uploads(lambda: formation.MAX_FILE_BYTES)
@login_required
def cohort_import(request, programme_id: int):
    """Upload a cohort file and see it checked; nothing is saved until it is clean and
    confirmed."""
    programme, existing = _importable(request, programme_id)
    form = CohortUploadForm(request.POST or None, request.FILES or None)
    if upload_refusal(request):  # the file passed the limit and was not kept
        most = size_text(formation.MAX_FILE_BYTES)
        form.errors["file"] = form.error_class(
            [f"The file is over {most}; at most {most} can be imported."]
        )
    context = {"programme": programme, "form": form, "replacing": existing}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        similar_are_new = form.cleaned_data["similar_are_new"]
        preview = formation.preview_import(data, upload.name, similar_are_new)
        context["preview"] = preview
        if preview.ok:
            request.session[UPLOAD_KEY] = {
                "programme": programme.pk,
                "name": upload.name,
                "data": base64.b64encode(data).decode("ascii"),
                "similar_are_new": similar_are_new,
            }
    return TemplateResponse(request, "programmes/cohort_import.html", context)


@login_required
@require_POST
def cohort_import_confirm(request, programme_id: int):
    programme, existing = _importable(request, programme_id)
    stored = request.session.get(UPLOAD_KEY)
    if not stored or stored.get("programme") != programme.pk:
        messages.error(request, "Upload the cohort file again: the checked file was not found.")
        return redirect("cohort_import", programme.pk)
    if existing and formation.active_run(existing):
        messages.error(request, "Wait for the run to finish, or cancel it, before importing.")
        return redirect("cohort", programme.pk)
    preview = formation.preview_import(
        base64.b64decode(stored["data"]), stored["name"], stored.get("similar_are_new", False)
    )
    if not preview.ok:  # organisations may have changed since the preview
        return TemplateResponse(
            request,
            "programmes/cohort_import.html",
            {"programme": programme, "form": CohortUploadForm(), "preview": preview},
        )
    cohort = formation.do_import(programme, preview, request.user)
    del request.session[UPLOAD_KEY]
    messages.success(
        request,
        f"{len(preview.people)} people imported from {preview.file_name}. "
        "Check the rules and settings, then form the sets.",
    )
    return redirect("cohort", cohort.programme_id)


@login_required
@require_POST
def cohort_settings(request, programme_id: int):
    cohort = _cohort(request, programme_id)
    form = CohortSettingsForm(request.POST, instance=cohort)
    if form.is_valid():
        form.save()
        messages.success(request, "Settings saved. Form the sets again to apply them.")
        return redirect("cohort", programme_id)
    context = _board_context(cohort, settings_form=form)
    return TemplateResponse(request, "programmes/cohort.html", context, status=400)


@login_required
def cohort_pairs(request, programme_id: int):
    """Manager and report pairs and keep-apart pairs: never in the same set."""
    cohort = _cohort(request, programme_id)
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
    return TemplateResponse(request, "programmes/cohort_pairs.html", context)


def _apart_pairs(cohort: Cohort) -> list[tuple[Participant, Participant]]:
    through = Participant.keep_apart.through.objects.filter(
        from_participant__cohort=cohort, from_participant_id__lt=F("to_participant_id")
    ).select_related("from_participant__organisation", "to_participant__organisation")
    return [(t.from_participant, t.to_participant) for t in through]


@login_required
@require_POST
def cohort_pair_remove(request, programme_id: int):
    cohort = _cohort(request, programme_id)
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


@login_required
@require_POST
def cohort_run(request, programme_id: int):
    """Start forming the sets (locked people stay where they are)."""
    cohort = _cohort(request, programme_id)
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        if formation.active_run(cohort):
            messages.info(request, "The sets are already being formed.")
        else:
            formation.start_run(cohort, request.user)
    return redirect("cohort", programme_id)


@login_required
def cohort_run_status(request, programme_id: int, run_id: int):
    """The run's progress; polled by the page while it runs."""
    cohort = _cohort(request, programme_id)
    run = get_object_or_404(cohort.runs, pk=run_id)
    if run.active:
        formation.active_run(cohort)  # marks a dead run failed
        run.refresh_from_db()
    if not run.active:
        if request.htmx:
            return HttpResponseClientRedirect(reverse("cohort", args=[programme_id]))
        return redirect("cohort", programme_id)
    return TemplateResponse(
        request, "programmes/_run.html", {"programme": cohort.programme, "run": run}
    )


@login_required
@require_POST
def cohort_run_cancel(request, programme_id: int, run_id: int):
    cohort = _cohort(request, programme_id)
    run = get_object_or_404(cohort.runs, pk=run_id)
    keep = request.POST.get("keep") == "1"
    if formation.cancel_run(run, keep_best=keep):
        messages.success(
            request,
            "Stopping: the best sets found so far will be kept."
            if keep
            else "Cancelled: the proposal is as it was before the run.",
        )
    else:
        messages.info(request, "That run had already finished.")
    return redirect("cohort", programme_id)


def _board_response(request, cohort: Cohort, programme_id: int, near: int | None = None):
    """The board again: the part the page swaps in, or (without JavaScript) the page, with the
    search it had and scrolled to the set ``near`` (the one the person was working in)."""
    find = review.clean_find(request.POST.get("find", ""))
    if request.htmx:
        context = _board_context(cohort, find=find)
        return TemplateResponse(request, "programmes/_board.html", context)
    query = f"?{urlencode({'find': find})}" if find else ""
    anchor = f"#set-{near}" if near else "#proposal"
    return redirect(reverse("cohort", args=[programme_id]) + query + anchor)


def _set_of(cohort: Cohort, people: list[int]) -> int | None:
    """The proposed set of the first of these people (before they move)."""
    first = cohort.participants.filter(pk__in=people[:1])
    return first.values_list("proposed_set_id", flat=True).first()


MAX_ID = 2**63 - 1  # the largest id: a larger one in ``pk__in`` overflows the database driver


def _selected(request) -> list[int]:
    ids = [id_from(v) for v in request.POST.getlist("person")]
    return [i for i in ids if i and i <= MAX_ID]


@login_required
@require_POST
def cohort_move(request, programme_id: int):
    """Move the chosen people to another set; scores and rules are worked out again."""
    cohort = _cohort(request, programme_id)
    if formation.active_run(cohort):
        messages.error(request, "Wait for the run to finish before moving people.")
        return _board_response(request, cohort, programme_id)
    target = cohort.proposed_sets.filter(pk=id_from(request.POST.get("to", "")) or 0).first()
    people = _selected(request)
    near = _set_of(cohort, people)
    if target is None:
        messages.error(request, "Choose the set to move them to.")
    elif not people:
        messages.error(request, "Choose at least one person to move.")
    else:
        moved = formation.move_people(cohort, people, target)
        if moved:
            messages.success(
                request, f"Moved {moved} {'person' if moved == 1 else 'people'} to {target}."
            )
        else:
            messages.error(request, "Nobody was moved: those people are not in this cohort.")
    return _board_response(request, cohort, programme_id, near)


@login_required
@require_POST
def cohort_lock(request, programme_id: int):
    """Lock the chosen people in their sets for the next run, or unlock them."""
    cohort = _cohort(request, programme_id)
    people = _selected(request)
    if not people:
        messages.error(request, "Choose at least one person to lock or unlock.")
    else:
        locked = request.POST.get("locked") == "1"
        count = formation.set_locked(cohort, people, locked)
        messages.success(
            request,
            f"{'Locked' if locked else 'Unlocked'} {count} {'person' if count == 1 else 'people'}"
            + (": they stay in their sets when the sets are formed again." if locked else "."),
        )
    return _board_response(request, cohort, programme_id, _set_of(cohort, people))


@login_required
@require_POST
def cohort_facilitator(request, programme_id: int):
    """Give a proposed set a facilitator from the pool (or none)."""
    cohort = _cohort(request, programme_id)
    proposed = get_object_or_404(cohort.proposed_sets, pk=id_from(request.POST.get("set", "")) or 0)
    chosen = request.POST.get("facilitator", "")
    if chosen == "":
        proposed.facilitator = None
        proposed.save(update_fields=["facilitator"])
        messages.success(request, f"{proposed} has no facilitator yet.")
        return _board_response(request, cohort, programme_id, proposed.pk)
    user = cohort.facilitators.filter(pk=id_from(chosen) or 0).first()
    if user is None:
        messages.error(request, "Choose a facilitator from the pool.")
        return _board_response(request, cohort, programme_id, proposed.pk)
    organisations = set(proposed.participants.values_list("organisation_id", flat=True))
    if not formation.facilitator_fits(cohort, user, organisations):
        messages.error(
            request,
            f"{user} is from {user.organisation}, as someone in {proposed} is. "
            "Choose another facilitator, or allow it in the settings.",
        )
        return _board_response(request, cohort, programme_id, proposed.pk)
    proposed.facilitator = user
    proposed.save(update_fields=["facilitator"])
    messages.success(request, f"{user} will facilitate {proposed}.")
    return _board_response(request, cohort, programme_id, proposed.pk)


@login_required
@require_POST
def cohort_facilitators_suggest(request, programme_id: int):
    cohort = _cohort(request, programme_id)
    board = formation.board_for(cohort)
    if board is None:
        messages.error(request, "Form the sets first.")
        return redirect("cohort", programme_id)
    given = formation.suggest_facilitators(cohort, board)
    left = sum(s.proposed.facilitator_id is None for s in board.sets)
    messages.success(
        request,
        f"{given} set{'s' * (given != 1)} given a facilitator."
        + (f" {left} still need one: add facilitators to the pool." if left else ""),
    )
    return _board_response(request, cohort, programme_id)


@login_required
@require_POST
def cohort_pool(request, programme_id: int):
    """Add someone to the facilitator pool, or take them out of it."""
    cohort = _cohort(request, programme_id)
    remove = id_from(request.POST.get("remove", ""))
    if remove:
        user = get_object_or_404(cohort.facilitators, pk=remove)
        cohort.facilitators.remove(user)
        cohort.proposed_sets.filter(facilitator=user).update(facilitator=None)
        messages.success(request, f"{user} is no longer in the facilitator pool.")
        return redirect(reverse("cohort", args=[programme_id]) + "#facilitators")
    form = FacilitatorPoolForm(request.POST)
    if form.is_valid():
        cohort.facilitators.add(form.cleaned_data["email"])
        messages.success(request, f"{form.cleaned_data['email']} added to the facilitator pool.")
    else:
        messages.error(request, " ".join(form.errors["email"]))
    return redirect(reverse("cohort", args=[programme_id]) + "#facilitators")


@login_required
@require_POST
def cohort_accept(request, programme_id: int):
    """Create the sets: memberships for people already in Revans, invitations for the rest."""
    cohort = _cohort(request, programme_id)
    if formation.active_run(cohort):
        messages.error(request, "Wait for the run to finish before accepting.")
        return redirect("cohort", programme_id)
    board = formation.board_for(cohort)
    if board is None:
        messages.error(request, "Form the sets first.")
        return redirect("cohort", programme_id)
    problems = [f"{c.rule}: {c.detail}" for c in board.broken]
    problems += list(formation.facilitator_problems(cohort, board).values())
    problems += formation.manager_problems(cohort, board)
    if problems:
        messages.error(
            request,
            "The sets cannot be accepted while a rule is broken: "
            + "; ".join(problems[:5])
            + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""),
        )
        return redirect("cohort", programme_id)
    accepted = formation.do_accept(cohort, request.user)
    messages.success(
        request,
        f"{len(accepted.sets)} sets created: {accepted.memberships} people added, "
        f"{accepted.invitations} invited by e-mail.",
    )
    return redirect("programme_detail", programme_id)


EXPORT_COLUMNS = [
    "proposed_set",
    "facilitator",
    "name",
    "email",
    "organisation",
    "sector",
    "role_level",
    "location",
    "locked",
    "set_diversity",
]


@login_required
def cohort_export(request, programme_id: int):
    """The proposed sets as CSV, one row per person, to share before accepting."""
    cohort = _cohort(request, programme_id)
    board = formation.board_for(cohort)
    if board is None:
        raise Http404("No sets have been formed yet.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(cohort.programme.name)}-proposed-sets.csv"'
    )
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    out = safe_csv.writer(response)
    out.writerow(EXPORT_COLUMNS)
    for board_set in board.sets:
        facilitator = board_set.proposed.facilitator
        for p in board_set.members:
            out.writerow(
                (
                    str(board_set.proposed),
                    facilitator.email if facilitator else "",
                    p.name,
                    p.email,
                    p.organisation.name,
                    p.sector,
                    "" if p.role_level is None else f"{p.role_level:g}",
                    p.location,
                    "yes" if p.locked else "",
                    str(review.set_mark(board_set, board.best_pair)),  # as on the page
                )
            )
    return response
