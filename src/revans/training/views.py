from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from revans.coach import classify
from revans.coach.scenarios import Scenario, all_scenarios, get_scenario
from revans.core.htmx import page_or_partial

from . import practice as sessions
from .forms import QuestionForm


def _scenario_or_404(slug: str) -> Scenario:
    scenario = get_scenario(slug)
    if scenario is None:
        raise Http404("No such scenario")
    return scenario


def _tally_context(request, scenario: Scenario) -> dict:
    entries = sessions.tried(request.session, scenario.slug)
    return {
        "scenario": scenario,
        # Newest first: the question just asked is at the top.
        "tried": [
            {
                **e,
                "name": sessions.LABEL_NAMES[e["label"]],
                "badge": sessions.BADGES.get(e["label"]),
            }
            for e in reversed(entries)
        ],
        "tally": sessions.tally(entries),
    }


@login_required
def practice(request):
    """Question practice: what makes a good question in a set, and the sample problems.
    Open to anyone signed in: nothing here comes from a set."""
    scenarios = [(s, len(sessions.tried(request.session, s.slug))) for s in all_scenarios()]
    return TemplateResponse(request, "training/practice.html", {"scenarios": scenarios})


@login_required
def practice_scenario(request, slug: str):
    """One sample problem and a question box; the coach answers each question asked, and the
    session keeps a running tally. An htmx post gets the feedback alone, with the form and the
    tally swapped out of band; a plain post gets the whole page."""
    scenario = _scenario_or_404(slug)
    verdict = asked = None
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        asked = form.cleaned_data["question"]
        verdict = classify(asked)
        sessions.do_record(request.session, scenario.slug, asked, verdict.label)
        form = QuestionForm()  # an empty box for the next question
    context = {
        **_tally_context(request, scenario),
        "form": form,
        "verdict": verdict,
        "asked": asked,
        "label_name": verdict and sessions.LABEL_NAMES[verdict.label],
        "badge": verdict and sessions.BADGES.get(verdict.label),
    }
    if request.method != "POST":
        return TemplateResponse(request, "training/scenario.html", context)
    return page_or_partial(request, "training/scenario.html", "training/_answer.html", context)


@login_required
@require_POST
def practice_reset(request, slug: str):
    """Start again: forget the questions tried on this scenario in this session."""
    scenario = _scenario_or_404(slug)
    sessions.do_reset(request.session, scenario.slug)
    if getattr(request, "htmx", False):
        form = QuestionForm()
        # The "Start again" button that had focus is gone: the box takes it.
        form.fields["question"].widget.attrs["autofocus"] = True
        context = {**_tally_context(request, scenario), "form": form, "reset": True}
        return TemplateResponse(request, "training/_answer.html", context)
    return redirect("practice_scenario", scenario.slug)
