"""Observed practice (issue 16): arranging an observation from the meeting page, the observer's
feedback, the trainee's reading of it and "Add to my log", and one's own observations.

Who may do what is in ``observation.py``; an observation's pages answer 404 to anyone but its
trainee and its observer, like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from revans.accounts.http import AuthenticatedHttpRequest
from revans.journal.forms_meeting import ReflectForm
from revans.meetings.access import may_chair, meeting_access
from revans.meetings.models import Meeting

from .forms_observation import ArrangeForm, FeedbackForm
from .models import Observation
from .observation import (
    SECTIONS,
    arranging_refusal,
    feedback_refusal,
    feedback_sections,
    observation_by,
    observation_for_trainee,
    observation_of,
)
from .services_observation import (
    do_add_observation_to_log,
    do_arrange_observation,
    do_cancel_observation,
    do_write_feedback,
)


@login_required
def observation_list(request: AuthenticatedHttpRequest) -> TemplateResponse:
    """Observations of my chairing and those I make, newest meeting first."""
    mine = list(
        Observation.objects.visible_to(request.user)
        .select_related("meeting", "meeting__set", "trainee", "observer")
        .order_by("-meeting__starts_at", "-pk")
    )
    context = {
        "of_me": [o for o in mine if o.trainee_id == request.user.pk],
        "by_me": [o for o in mine if o.observer_id == request.user.pk],
    }
    return TemplateResponse(request, "development/observation_list.html", context)


@login_required
@require_POST
def observation_arrange(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponseRedirect:
    """Whoever chairs the meeting (the set's facilitator) arranges who observes whose chairing."""
    meeting, access = meeting_access(request.user, meeting_id)
    if not may_chair(meeting, access):
        raise Http404("No such meeting")
    refusal = arranging_refusal(meeting)
    if refusal:
        messages.error(request, refusal)
        return redirect(meeting)
    memberships = list(access.set.memberships.select_related("user"))
    form = ArrangeForm(request.POST, meeting=meeting, memberships=memberships)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(meeting)
    trainee, observer = form.trainee_user, form.observer_user
    try:
        do_arrange_observation(meeting, trainee, observer, request.user)
    except IntegrityError:  # the same observer arranged meanwhile
        messages.error(request, f"{observer.display_name} already observes this meeting.")
        return redirect(meeting)
    messages.success(
        request,
        f"Arranged: {observer.display_name} observes {trainee.display_name}'s chairing of "
        f"meeting {meeting.number}. Hand the chair to {trainee.display_name} in the room.",
    )
    return redirect(meeting)


@login_required
@require_POST
def observation_cancel(
    request: AuthenticatedHttpRequest, observation_id: int
) -> HttpResponseRedirect:
    """Whoever chairs the meeting cancels an observation whose feedback is not written."""
    observation: Observation = get_object_or_404(
        Observation.objects.filter(meeting__in=Meeting.objects.visible_to(request.user)),
        pk=observation_id,
    )
    meeting, access = meeting_access(request.user, observation.meeting_id)
    if not may_chair(meeting, access):
        raise Http404("No such observation")
    if do_cancel_observation(observation):
        messages.success(request, "The observation is cancelled.")
    else:
        messages.error(request, "The feedback on this observation is written: it stays.")
    return redirect(meeting)


@login_required
def observation_feedback(
    request: AuthenticatedHttpRequest, observation_id: int
) -> TemplateResponse | HttpResponseRedirect:
    """The observer writes, and may later change, their feedback."""
    observation = observation_by(request.user, observation_id)
    refusal = feedback_refusal(observation)
    initial = {name: getattr(observation, name) for name, _ in SECTIONS}
    data = request.POST if request.method == "POST" else None
    form = FeedbackForm(data, initial=initial)
    if request.method == "POST" and not refusal and form.is_valid():
        first = not observation.written
        do_write_feedback(observation, form.feedback())
        messages.success(
            request,
            f"Feedback {'saved' if first else 'changed'}: {observation.trainee.display_name} "
            "can read it now.",
        )
        return redirect("observation_detail", observation.pk)
    context = {"observation": observation, "form": form, "refusal": refusal}
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "development/observation_feedback.html", context, status=status
    )


def _detail(
    request: AuthenticatedHttpRequest,
    observation: Observation,
    form: ReflectForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    is_trainee = observation.trainee_id == request.user.pk
    if is_trainee and observation.written and form is None:
        form = ReflectForm(user=request.user)
    context = {
        "observation": observation,
        "meeting": observation.meeting,
        "sections": feedback_sections(observation),
        "is_trainee": is_trainee,
        "is_observer": observation.observer_id == request.user.pk,
        "form": form,
    }
    return TemplateResponse(request, "development/observation_detail.html", context, status=status)


@login_required
def observation_detail(request: AuthenticatedHttpRequest, observation_id: int) -> TemplateResponse:
    """The feedback, for the trainee and the observer alone."""
    return _detail(request, observation_of(request.user, observation_id))


@login_required
@require_POST
def observation_to_log(
    request: AuthenticatedHttpRequest, observation_id: int
) -> TemplateResponse | HttpResponseRedirect:
    """The trainee's "Add to my log": a draft entry holding the feedback, opened to edit."""
    observation = observation_for_trainee(request.user, observation_id)
    if not observation.written:
        messages.error(request, "The feedback is not written yet: add it to your log once it is.")
        return redirect("observation_detail", observation.pk)
    form = ReflectForm(request.POST, user=request.user)
    if not form.is_valid():
        return _detail(request, observation, form, status=400)
    entry = do_add_observation_to_log(request.user, observation, form.chosen_log())
    messages.success(
        request,
        f"A draft holding {observation.observer.display_name}'s feedback is in “{entry.log}”. "
        "Only you can see it.",
    )
    return redirect("entry_edit", entry.pk)
