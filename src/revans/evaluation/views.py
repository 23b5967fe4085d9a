"""The survey and pulse pages: answering, "Not now", and a person's own answers."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from revans.accounts.http import AuthenticatedHttpRequest
from revans.meetings.models import Meeting
from revans.sets.models import Membership, Role

from . import offers, services
from .access import member_of, pulse_access
from .forms import AnswersForm
from .models import ProgrammeQuestion, Response, Survey
from .questions import shipped

SAVED = (
    "Thank you: your answers are saved. Only you see them; the programme sees totals from "
    "five or more people, never yours."
)
UPDATED = "Your answers are updated."
NOT_NOW = "Not now, then. The survey stays in “My answers” whenever you want it."
SURVEYS = (Survey.START, Survey.END)
ROOM_PHASES = "process_review summary closed"  # where the room shows the pulse


def _back(request: AuthenticatedHttpRequest, default: str) -> str:
    """Where to go after answering: the page the survey was opened from, among a known few."""
    back = request.POST.get("back") or request.GET.get("back", "")
    pages = {"dashboard": reverse("dashboard"), "answers": reverse("my_answers")}
    match = request.resolver_match
    if match is not None and "meeting_id" in match.kwargs:
        pages["room"] = reverse("meeting_room", args=[match.kwargs["meeting_id"]])
    return pages.get(back, default)


def _own(user: Any, **where: Any) -> Response | None:
    return Response.objects.own(user).filter(**where).prefetch_related("answers").first()


def _initial(response: Response | None) -> dict[str, Any]:
    if response is None:
        return {}
    initial: dict[str, Any] = {
        a.question: a.value if a.value is not None else a.text for a in response.answers.all()
    }
    initial["comment"] = response.comment
    initial["share_theme"] = response.share_theme
    return initial


def _sections(form: AnswersForm) -> list[dict[str, Any]]:
    """The survey in parts: about you now, the programme's own questions, looking back."""
    data = shipped()
    mine = {q.key for q in data.self_assessment}
    ending = {q.key for q in data.ending}
    rows = form.rows()
    parts: list[list[dict[str, Any]]] = [[], [], []]
    for row in rows:
        key = row["question"].key
        parts[0 if key in mine else 2 if key in ending else 1].append(row)
    sections = [
        {"title": "", "intro": data.self_assessment_intro, "rows": parts[0]},
        {"title": "Questions from your programme", "intro": "", "rows": parts[1]},
        {"title": "Looking back on the set", "intro": data.ending_intro, "rows": parts[2]},
    ]
    return [s for s in sections if s["rows"]]


@login_required
def survey(request: AuthenticatedHttpRequest, set_id: int, survey: str) -> HttpResponse:
    """A member's start or end survey of a set: one page, every question optional."""
    if survey not in SURVEYS:
        raise Http404("No such survey")
    membership = member_of(request.user, set_id)
    set_ = membership.set
    response = _own(request.user, set=set_, survey=survey, meeting=None)
    refusal = offers.start_refusal(set_) if survey == Survey.START else offers.end_refusal(set_)
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        questions=services.questions_for(survey, set_.programme),
        comment=True,
        initial=_initial(response),
    )
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
        elif form.is_valid():
            try:
                _, created = services.do_answer_survey(
                    membership,
                    survey,
                    form.answers(),
                    comment=form.cleaned_data.get("comment", ""),
                    share_theme=form.cleaned_data.get("share_theme", False),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, SAVED if created or response is None else UPDATED)
                return redirect(_back(request, set_.get_absolute_url()))
    context = {
        "set": set_,
        "survey": survey,
        "title": Survey(survey).label,
        "form": form,
        "sections": _sections(form),
        "response": response,
        "refusal": refusal,
        "back": request.GET.get("back", request.POST.get("back", "")),
    }
    return TemplateResponse(request, "evaluation/survey.html", context)


@login_required
@require_POST
def survey_skip(request: AuthenticatedHttpRequest, set_id: int, survey: str) -> HttpResponse:
    if survey not in SURVEYS:
        raise Http404("No such survey")
    membership = member_of(request.user, set_id)
    services.do_skip(membership, survey)
    messages.info(request, NOT_NOW)
    return redirect(_back(request, membership.set.get_absolute_url()))


def pulse_context(
    user: Any, meeting: Meeting, membership: Membership, *, form: AnswersForm | None = None
) -> dict[str, Any]:
    """What the pulse's panel shows: its form, with the person's answers if they gave them."""
    response = _own(user, meeting=meeting)
    if form is None:
        form = AnswersForm(questions=shipped().pulse, initial=_initial(response))
    return {
        "meeting": meeting,
        "pulse_form": form,
        "pulse_response": response,
        "pulse_intro": shipped().pulse_intro,
        "pulse_refusal": offers.pulse_refusal(meeting),
    }


@login_required
def pulse(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The one-minute pulse after a meeting: a page of its own, or the panel on the meeting page
    and in the room (answered with htmx, the panel replaced by its new state)."""
    meeting, membership = pulse_access(request.user, meeting_id)
    form = None
    saved = ""
    if request.method == "POST":
        form = AnswersForm(request.POST, questions=shipped().pulse)
        refusal = offers.pulse_refusal(meeting)
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid():
            try:
                _, created = services.do_answer_pulse(membership, meeting, form.answers())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                saved = "Thank you: saved." if created else UPDATED
                if not request.htmx:
                    messages.success(request, "Thank you: your pulse is saved.")
                    return redirect(_back(request, meeting.get_absolute_url()))
                form = None
    back = request.GET.get("back", request.POST.get("back", ""))
    context = {
        **pulse_context(request.user, meeting, membership, form=form),
        "set": membership.set,
        "saved": saved,
        "back": back,
    }
    if back == "room":  # answered in the room: the panel stays in the room's phases, shown
        context.update(room_phases=ROOM_PHASES, room_shown=True)
    template = "evaluation/_pulse.html" if request.htmx else "evaluation/pulse.html"
    return TemplateResponse(request, template, context)


@login_required
@require_POST
def pulse_skip(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting, membership = pulse_access(request.user, meeting_id)
    services.do_skip(membership, Survey.PULSE, meeting)
    if request.htmx:
        context = {**pulse_context(request.user, meeting, membership), "skipped": True}
        if request.POST.get("back") == "room":
            context.update(back="room", room_phases=ROOM_PHASES, room_shown=True)
        return TemplateResponse(request, "evaluation/_pulse.html", context)
    messages.info(request, "Not now, then. The pulse stays in “My answers”.")
    return redirect(_back(request, meeting.get_absolute_url()))


@login_required
def my_answers(request: AuthenticatedHttpRequest) -> TemplateResponse:
    """Everything the person answered or put off, to read and change, and what waits for them.
    Only their own: nobody else ever reads these answers."""
    responses = list(
        Response.objects.own(request.user)
        .select_related("set", "meeting")
        .prefetch_related("answers")
        .order_by("set__name", "survey", "meeting__starts_at")
    )
    memberships = list(Membership.objects.filter(user=request.user).select_related("set"))
    waiting = [w for w in offers.waiting_for(memberships) if w.any]
    data = shipped()
    labels = {q.key: q for q in data.self_assessment + data.pulse + data.ending}
    own_keys = {a.question for r in responses for a in r.answers.all() if a.question not in labels}
    own = ProgrammeQuestion.objects.filter(
        pk__in=[int(k.split("-")[1]) for k in own_keys if k.split("-")[-1].isdigit()]
    )
    labels.update({q.key: q.as_question() for q in own})
    # Answers given in a set the person has since left stay theirs to read, not to change.
    member_of = {m.set_id for m in memberships if m.role == Role.MEMBER}
    given = [
        {
            "response": r,
            "rows": [(labels.get(a.question), a) for a in r.answers.all()],
            "open": r.set_id in member_of,
        }
        for r in responses
    ]
    context = {"given": given, "waiting": waiting}
    return TemplateResponse(request, "evaluation/my_answers.html", context)
