"""Forming a programme's sets from its cohort, the proposal: running the search, moving and
locking people, facilitators, the CSV export and accepting. The programme's managers only
(access.py)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from revans.accounts.http import AuthenticatedHttpRequest
from revans.audit.models import Action
from revans.audit.services import record
from revans.core import csv as safe_csv
from revans.core.forms import id_from
from revans.grouping.cohort_file import CohortError

from . import accept, board, facilitators, review, runs
from .access import cohort_access
from .board import board_for
from .forms import FacilitatorPoolForm
from .models import Cohort, FormationRun


def board_context(cohort: Cohort, find: str = "", **extra: object) -> dict[str, object]:
    """What the cohort page and its board show: the run in progress, or the proposal with its
    figures and problems. Reads only (a run that died shows as stalled, see runs.py)."""
    run, stalled = runs.current_run(cohort)
    proposal = None
    problems: list[str] = []
    if run is None:
        try:
            proposal = board_for(cohort)
        except CohortError as error:
            problems = error.errors
    scale = review.read(proposal, find) if proposal else None
    last = cohort.runs.exclude(status__in=FormationRun.ACTIVE).first()
    pool = list(cohort.facilitators.select_related("organisation"))
    return {
        "programme": cohort.programme,
        "cohort": cohort,
        "run": run,
        "stalled_run": stalled,
        "stalled_text": runs.STALLED,
        "last_run": last,
        "board": proposal,
        "scale": scale,
        "find": find,
        "found": sum(not s.hidden for s in proposal.sets) if proposal else 0,
        "board_problems": problems,
        "facilitator_problems": (
            facilitators.facilitator_problems(cohort, proposal) if proposal else {}
        ),
        "pool": pool,
        "participant_count": cohort.participants.count(),
        **extra,
    }


@login_required
@require_POST
def cohort_run(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Start forming the sets (locked people stay where they are)."""
    cohort = cohort_access(request.user, programme_id)
    if runs.start_run(cohort, request.user) is None:
        messages.info(request, "The sets are already being formed.")
    return redirect("cohort", programme_id)


@login_required
def cohort_run_status(
    request: AuthenticatedHttpRequest, programme_id: int, run_id: int
) -> HttpResponse:
    """The run's progress; polled by the page while it runs."""
    cohort = cohort_access(request.user, programme_id)
    run = get_object_or_404(cohort.runs, pk=run_id)
    if not run.active or run.stalled:  # a stalled run: the page says so
        if request.htmx:
            return HttpResponseClientRedirect(reverse("cohort", args=[programme_id]))
        return redirect("cohort", programme_id)
    return TemplateResponse(
        request, "formation/_run.html", {"programme": cohort.programme, "run": run}
    )


@login_required
@require_POST
def cohort_run_cancel(
    request: AuthenticatedHttpRequest, programme_id: int, run_id: int
) -> HttpResponse:
    cohort = cohort_access(request.user, programme_id)
    run = get_object_or_404(cohort.runs, pk=run_id)
    keep = request.POST.get("keep") == "1"
    if runs.cancel_run(run, keep_best=keep):
        messages.success(
            request,
            "Stopping: the best sets found so far will be kept."
            if keep
            else "Cancelled: the proposal is as it was before the run.",
        )
    else:
        messages.info(request, "That run had already finished.")
    return redirect("cohort", programme_id)


def _board_response(
    request: AuthenticatedHttpRequest, cohort: Cohort, programme_id: int, near: int | None = None
) -> HttpResponse:
    """The board again: the part the page swaps in, or (without JavaScript) the page, with the
    search it had and scrolled to the set ``near`` (the one the person was working in)."""
    find = review.clean_find(request.POST.get("find", ""))
    if request.htmx:
        context = board_context(cohort, find=find)
        return TemplateResponse(request, "formation/_board.html", context)
    query = f"?{urlencode({'find': find})}" if find else ""
    anchor = f"#set-{near}" if near else "#proposal"
    return redirect(reverse("cohort", args=[programme_id]) + query + anchor)


def _set_of(cohort: Cohort, people: list[int]) -> int | None:
    """The proposed set of the first of these people (before they move)."""
    first = cohort.participants.filter(pk__in=people[:1])
    return first.values_list("proposed_set_id", flat=True).first()


MAX_ID = 2**63 - 1  # the largest id: a larger one in ``pk__in`` overflows the database driver


def _selected(request: AuthenticatedHttpRequest) -> list[int]:
    ids = [id_from(v) for v in request.POST.getlist("person")]
    return [i for i in ids if i and i <= MAX_ID]


@login_required
@require_POST
def cohort_move(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Move the chosen people to another set; scores and rules are worked out again."""
    cohort = cohort_access(request.user, programme_id)
    if runs.active_run(cohort):
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
        moved = board.move_people(cohort, people, target)
        if moved:
            messages.success(
                request, f"Moved {moved} {'person' if moved == 1 else 'people'} to {target}."
            )
        else:
            messages.error(request, "Nobody was moved: those people are not in this cohort.")
    return _board_response(request, cohort, programme_id, near)


@login_required
@require_POST
def cohort_lock(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Lock the chosen people in their sets for the next run, or unlock them."""
    cohort = cohort_access(request.user, programme_id)
    people = _selected(request)
    if not people:
        messages.error(request, "Choose at least one person to lock or unlock.")
    else:
        locked = request.POST.get("locked") == "1"
        count = board.set_locked(cohort, people, locked)
        messages.success(
            request,
            f"{'Locked' if locked else 'Unlocked'} {count} {'person' if count == 1 else 'people'}"
            + (": they stay in their sets when the sets are formed again." if locked else "."),
        )
    return _board_response(request, cohort, programme_id, _set_of(cohort, people))


@login_required
@require_POST
def cohort_facilitator(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Give a proposed set a facilitator from the pool (or none)."""
    cohort = cohort_access(request.user, programme_id)
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
    if not facilitators.facilitator_fits(cohort, user, organisations):
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
def cohort_facilitators_suggest(
    request: AuthenticatedHttpRequest, programme_id: int
) -> HttpResponse:
    cohort = cohort_access(request.user, programme_id)
    proposal = board_for(cohort)
    if proposal is None:
        messages.error(request, "Form the sets first.")
        return redirect("cohort", programme_id)
    given = facilitators.suggest_facilitators(cohort, proposal)
    left = sum(s.proposed.facilitator_id is None for s in proposal.sets)
    messages.success(
        request,
        f"{given} set{'s' * (given != 1)} given a facilitator."
        + (f" {left} still need one: add facilitators to the pool." if left else ""),
    )
    return _board_response(request, cohort, programme_id)


@login_required
@require_POST
def cohort_pool(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Add someone to the facilitator pool, or take them out of it."""
    cohort = cohort_access(request.user, programme_id)
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
        messages.error(request, " ".join(str(e) for e in form.errors["email"]))
    return redirect(reverse("cohort", args=[programme_id]) + "#facilitators")


@login_required
@require_POST
def cohort_accept(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Create the sets: memberships for people already in Revans, invitations for the rest."""
    cohort = cohort_access(request.user, programme_id)
    if runs.active_run(cohort):
        messages.error(request, "Wait for the run to finish before accepting.")
        return redirect("cohort", programme_id)
    proposal = board_for(cohort)
    if proposal is None:
        messages.error(request, "Form the sets first.")
        return redirect("cohort", programme_id)
    problems = accept.accept_problems(cohort, proposal)
    if problems:
        messages.error(
            request,
            "The sets cannot be accepted while a rule is broken: "
            + "; ".join(problems[:5])
            + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""),
        )
        return redirect("cohort", programme_id)
    accepted = accept.do_accept(cohort, proposal, request.user)
    messages.success(
        request,
        f"{len(accepted.sets)} sets created: {accepted.memberships} people added, "
        f"{accepted.invitations} invited by e-mail.",
    )
    return redirect("programme_detail", programme_id)


EXPORT_COLUMNS = [
    "proposed_set",
    "in_company",  # the organisation whose in-company set it is; empty for a mixed set
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
def cohort_export(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The proposed sets as CSV, one row per person, to share before accepting."""
    cohort = cohort_access(request.user, programme_id)
    proposal = board_for(cohort)
    if proposal is None:
        raise Http404("No sets have been formed yet.")
    record(request.user, Action.EXPORT, cohort, format="csv", what="proposed_sets")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(cohort.programme.name)}-proposed-sets.csv"'
    )
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    out = safe_csv.writer(response)
    out.writerow(EXPORT_COLUMNS)
    for board_set in proposal.sets:
        facilitator = board_set.proposed.facilitator
        company = board_set.proposed.organisation
        for p in board_set.members:
            out.writerow(
                (
                    str(board_set.proposed),
                    company.name if company else "",
                    facilitator.email if facilitator else "",
                    p.name,
                    p.email,
                    p.organisation.name,
                    p.sector,
                    "" if p.role_level is None else f"{p.role_level:g}",
                    p.location,
                    "yes" if p.locked else "",
                    str(review.set_mark(board_set, proposal.best_pair)),  # as on the page
                )
            )
    return response
