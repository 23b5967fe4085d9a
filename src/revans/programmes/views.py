from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from revans.meetings.insight import open_share_by_set
from revans.sets.models import Membership, Role, Set

from .forms import ProgrammeForm
from .models import Cohort, Programme


@login_required
def programme_create(request):
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            programme = form.save()
        messages.success(request, f"Programme “{programme}” created. Next: create its sets.")
        return redirect(programme)
    return TemplateResponse(request, "programmes/programme_form.html", {"form": form})


@login_required
def programme_edit(request, programme_id: int):
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=programme_id)
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, "Programme saved.")
        return redirect(programme)
    return TemplateResponse(
        request, "programmes/programme_form.html", {"form": form, "programme": programme}
    )


@login_required
def programme_detail(request, programme_id: int):
    """Sets, sizes, facilitators and people: never what was said in the sets."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("sponsor"), pk=programme_id
    )
    memberships = Membership.objects.select_related("user", "user__organisation").order_by(
        "role", "user__display_name"
    )
    sets = list(
        Set.objects.visible_to(request.user)
        .filter(programme=programme)
        .annotate(member_count=Count("memberships", filter=Q(memberships__role=Role.MEMBER)))
        .prefetch_related(Prefetch("memberships", queryset=memberships))
    )
    organisations: set[str] = set()
    # Aggregates only: one figure per set, never a question (DESIGN.md §4).
    mixes = open_share_by_set(s.pk for s in sets)
    for set_ in sets:
        set_.size_warning_text = set_.size_warning(set_.member_count)
        set_.question_mix = mixes.get(set_.pk)
        set_.facilitators = [m.user for m in set_.memberships.all() if m.role == Role.FACILITATOR]
        organisations.update(
            m.user.organisation.name for m in set_.memberships.all() if m.user.organisation
        )
    cohort = (
        Cohort.objects.filter(programme=programme)
        .annotate(participant_count=Count("participants"))
        .first()
    )
    context = {
        "programme": programme,
        "cohort": cohort,
        "sets": sets,
        "managers": programme.managers.all(),
        "people_count": sum(len(s.memberships.all()) for s in sets),
        "organisation_count": len(organisations),
    }
    return TemplateResponse(request, "programmes/programme_detail.html", context)
