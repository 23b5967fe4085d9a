"""Joining open sets: a programme's managers open sets to requests; the people taking part in
the programme see them (name, facilitator, place or online, cadence, seats left: never members'
names nor what is said) and ask to join with a note; the set's facilitator or the programme's
managers accept or decline. A manager never joins this way (architecture.md §4)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from revans.accounts.http import AuthenticatedHttpRequest
from revans.sets.models import Membership, Role, Set

from . import services
from .access import join_requests_access, open_sets_access, programme_access
from .forms import JoinRequestForm
from .models import JoinRequest, OpenSet


@dataclass
class OpenSetRow:
    """One open set as the people taking part see it: no member's name, nothing said."""

    set: Set
    facilitators: list[str]
    seats_left: int
    requested: bool
    member: bool


@login_required
def open_sets(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme's sets open to join, with a request form on each. Four queries whatever
    the number of sets: the programme, the sets with their member counts, their facilitators'
    names, and this person's own memberships and requests."""
    programme = open_sets_access(request.user, programme_id)
    sets = list(
        Set.objects.filter(programme=programme, opening__isnull=False)
        .exclude(status=Set.Status.CLOSED)
        .annotate(members=Count("memberships", filter=Q(memberships__role=Role.MEMBER)))
        .only("name", "mode", "place", "status")
        .order_by("name", "pk")
    )
    ids = [s.pk for s in sets]
    facilitators: dict[int, list[str]] = {}
    for set_id, name in (
        Membership.objects.filter(set_id__in=ids, role=Role.FACILITATOR)
        .order_by("user__display_name")
        .values_list("set_id", "user__display_name")
    ):
        facilitators.setdefault(set_id, []).append(name)
    mine = set(Membership.objects.filter(user=request.user).values_list("set_id", flat=True))
    asked = set(
        JoinRequest.objects.filter(
            person=request.user, set_id__in=ids, status=JoinRequest.Status.PENDING
        ).values_list("set_id", flat=True)
    )
    rows = [
        OpenSetRow(
            set=s,
            facilitators=facilitators.get(s.pk, []),
            seats_left=max(0, programme.set_size_max - s.members),
            requested=s.pk in asked,
            member=s.pk in mine,
        )
        for s in sets
    ]
    manages = programme.managers.filter(pk=request.user.pk).exists()
    context = {
        "programme": programme,
        "rows": rows,
        "form": JoinRequestForm(),
        "manages": manages,
    }
    return TemplateResponse(request, "programmes/open_sets.html", context)


@login_required
@require_POST
def join_request_create(
    request: AuthenticatedHttpRequest, programme_id: int, set_id: int
) -> HttpResponse:
    """Asks to join one open set: refused with a message for a closed or full set, a second
    request, someone already in it, and any manager of the programme."""
    programme = open_sets_access(request.user, programme_id)
    # A set of this programme that is open: any other id is missing, like a closed one.
    set_ = Set.objects.filter(programme=programme, pk=set_id).first()
    back = redirect("programme_open_sets", programme.pk)
    if set_ is None:
        messages.error(request, "That set is not open to new members.")
        return back
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["note"]))
        return back
    try:
        services.do_request_join(set_, request.user, form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(
        request, f"Your request to join {set_.name} is sent; its facilitator will answer."
    )
    return back


@login_required
@require_POST
def set_opening(request: AuthenticatedHttpRequest, programme_id: int, set_id: int) -> HttpResponse:
    """Opens a set to requests to join, or closes it: the programme's managers only."""
    programme = programme_access(request.user, programme_id)
    set_ = get_object_or_404(Set.objects.filter(programme=programme), pk=set_id)
    choice = request.POST.get("open", "")
    if choice not in ("1", "0"):
        messages.error(request, "Choose to open the set or to close it.")
        return redirect(programme)
    try:
        changed = services.do_open_set(set_, request.user, is_open=choice == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(programme)
    if changed:
        messages.success(
            request,
            f"{set_.name} is open: people taking part in the programme can ask to join."
            if choice == "1"
            else f"{set_.name} is closed to requests; any still waiting were declined.",
        )
    return redirect(programme)


@login_required
def join_requests(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The requests waiting for this person's answer (the programme's managers: every set's;
    a facilitator: her own sets'), and the last ones answered."""
    programme, requests = join_requests_access(request.user, programme_id)
    requests = requests.select_related("person", "person__organisation", "set", "decided_by")
    context = {
        "programme": programme,
        "waiting": list(requests.filter(status=JoinRequest.Status.PENDING)),
        "answered": list(
            requests.exclude(status=JoinRequest.Status.PENDING).order_by("-decided_at")[:20]
        ),
        "open_count": OpenSet.objects.filter(set__programme=programme).count(),
    }
    return TemplateResponse(request, "programmes/join_requests.html", context)


@login_required
@require_POST
def join_request_decide(
    request: AuthenticatedHttpRequest, programme_id: int, request_id: int
) -> HttpResponse:
    """Accepts or declines one request: the person joins as a member (recorded for the set's
    facilitators), or is told no. Refused with a message past the set's seats, once the set
    is closed, and for any manager of the programme, whoever answers."""
    programme, requests = join_requests_access(request.user, programme_id)
    join_request = requests.filter(pk=request_id).select_related("set", "person").first()
    if join_request is None:
        raise Http404("No such request")
    back = redirect("join_requests", programme.pk)
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "decline"):
        messages.error(request, "Choose to accept or to decline the request.")
        return back
    try:
        services.do_decide_join_request(join_request, request.user, accept=decision == "accept")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    person, set_name = join_request.person, join_request.set.name
    messages.success(
        request,
        f"{person} joined {set_name} as a member."
        if decision == "accept"
        else f"{person}'s request to join {set_name} is declined.",
    )
    return back
