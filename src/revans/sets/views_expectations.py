"""The expectations questionnaire (architecture.md §4): each member answers it before the first
meeting, and only the set's facilitators read the answers. A member reads their own; other
members, a member who takes the chair of a self-facilitated set, observers and the programme's
managers get the 404 of a missing page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from revans.accounts.http import AuthenticatedHttpRequest

from . import services
from .access import content_access
from .forms import ExpectationsForm
from .models import Expectations, Role
from .questions import shipped


@login_required
def expectations(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    """A member's own answers, to write or change."""
    access = content_access(request.user, set_id)
    if access.role != Role.MEMBER:
        raise Http404("No such set")
    mine = (
        Expectations.objects.visible_to(request.user)
        .filter(set=access.set, user=request.user)
        .first()
    )
    form = ExpectationsForm(request.POST or None, answers=mine.answers if mine else {})
    if request.method == "POST" and form.is_valid():
        services.do_save_expectations(access.set, request.user, form.cleaned_data)
        messages.success(request, "Thank you: your facilitator will read your answers.")
        return redirect(access.set)
    return TemplateResponse(
        request,
        "sets/expectations_form.html",
        {
            "access": access,
            "set": access.set,
            "form": form,
            "mine": mine,
            "intro": shipped().expectations_intro,
        },
    )


@login_required
def expectations_list(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    """Every member's answers, for the set's facilitators: who has answered and who has not."""
    access = content_access(request.user, set_id)
    if not access.is_facilitator:
        raise Http404("No such set")
    members = list(
        access.set.memberships.filter(role=Role.MEMBER)
        .select_related("user")
        .order_by("user__display_name")
    )
    answers = {
        e.user_id: e for e in Expectations.objects.visible_to(request.user).filter(set=access.set)
    }
    rows = [(membership.user, answers.get(membership.user_id)) for membership in members]
    return TemplateResponse(
        request,
        "sets/expectations_list.html",
        {
            "access": access,
            "set": access.set,
            "answered": [(user, e) for user, e in rows if e is not None],
            "waiting": [user for user, e in rows if e is None],
            "member_count": len(rows),
        },
    )
