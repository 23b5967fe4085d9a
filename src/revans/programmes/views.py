from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from revans.meetings.insight import Mix, open_share_by_set
from revans.meetings.models import Attendance, Meeting
from revans.sets.models import Membership, Role, Set

from .forms import ProgrammeForm
from .models import OpenSet, Programme
from .page import programme_page
from .presets import TEMPLATES, template_for
from .services import managers_of, record_manager_changes


@login_required
def programme_create(request):
    """A new programme, its settings filled in from the template chosen (``?template=``); an
    unknown template name starts from the standard one."""
    template = template_for(request.POST.get("template") or request.GET.get("template"))
    form = ProgrammeForm(request.POST or None, user=request.user, template=template)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            programme = form.save()
            record_manager_changes(programme, set(), request.user)
        messages.success(request, f"Programme “{programme}” created. Next: create its sets.")
        return redirect(programme)
    context = {"form": form, "template": template, "templates": TEMPLATES.values()}
    return TemplateResponse(request, "programmes/programme_form.html", context)


@login_required
def programme_edit(request, programme_id: int):
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=programme_id)
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = managers_of(programme)
            form.save()
            record_manager_changes(programme, before, request.user)
        messages.success(request, "Programme saved.")
        return redirect(programme)
    return TemplateResponse(
        request, "programmes/programme_form.html", {"form": form, "programme": programme}
    )


PAGE_SIZE = 50
SETS_PER_PAGE = 20  # rows are cheap next to the fixed cost; a filter finds a set faster than paging
SEARCH_MAX = 100  # longer searches are cut: no name or e-mail address is this long


def _search(request) -> str:
    # A NUL can match nothing, and PostgreSQL refuses it in a query: drop it.
    return request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX]


def _managed_programme(request, programme_id: int) -> Programme:
    return get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("sponsor"), pk=programme_id
    )


@dataclass
class SetRow:
    """One set as its programme's page lists it: dates, names and counts, never what was said."""

    set: Set
    member_count: int
    size_warning: str
    facilitators: list[str]
    next_meeting_at: datetime | None
    attendance_recorded: int
    attendance_present: int
    question_mix: Mix | None
    facilitated_used: int = 0  # meetings marked facilitated, not cancelled

    @property
    def attendance_share(self) -> int | None:
        """Present, as a percentage of the attendance recorded at past meetings."""
        if not self.attendance_recorded:
            return None
        return round(100 * self.attendance_present / self.attendance_recorded)


def _describe(sets: list[Set]) -> list[SetRow]:
    """Each set of a page with its size, facilitators, next meeting and attendance so far, in
    two queries for the page whatever its sets hold: dates, names and counts, never what was
    said."""
    ids = [s.pk for s in sets]
    now = timezone.now()
    members: dict[int, int] = {}
    facilitators: dict[int, list[str]] = {}
    for set_id, role, name in (
        Membership.objects.filter(set_id__in=ids, role__in=(Role.MEMBER, Role.FACILITATOR))
        .order_by("user__display_name")
        .values_list("set_id", "role", "user__display_name")
    ):
        if role == Role.MEMBER:
            members[set_id] = members.get(set_id, 0) + 1
        else:
            facilitators.setdefault(set_id, []).append(name)
    # One row per set: the attendance join repeats meetings, which leaves their minimum as it is.
    upcoming = Q(starts_at__gte=now, status__in=(Meeting.Status.SCHEDULED, Meeting.Status.LIVE))
    past = Q(starts_at__lt=now)
    # The allowance of facilitated meetings used: those not cancelled, counted once each.
    facilitated = Q(facilitated=True) & ~Q(status=Meeting.Status.CANCELLED)
    dates: dict[int, tuple[datetime | None, int, int, int]] = {
        set_id: (first, recorded, present, used)
        for set_id, first, recorded, present, used in Meeting.objects.filter(set_id__in=ids)
        .order_by()
        .values("set_id")
        .annotate(
            first=Min("starts_at", filter=upcoming),
            recorded=Count("attendance", filter=past),
            present=Count(
                "attendance", filter=past & Q(attendance__status=Attendance.Status.PRESENT)
            ),
            used=Count("pk", filter=facilitated, distinct=True),
        )
        .values_list("set_id", "first", "recorded", "present", "used")
    }
    # Aggregates only: one figure per set, never a question (architecture.md §4).
    mixes = open_share_by_set(ids)
    rows = []
    for set_ in sets:
        member_count = members.get(set_.pk, 0)
        next_meeting_at, recorded, present, used = dates.get(set_.pk, (None, 0, 0, 0))
        rows.append(
            SetRow(
                set=set_,
                member_count=member_count,
                size_warning=set_.size_warning(member_count),
                facilitators=facilitators.get(set_.pk, []),
                next_meeting_at=next_meeting_at,
                attendance_recorded=recorded,
                attendance_present=present,
                question_mix=mixes.get(set_.pk),
                facilitated_used=used,
            )
        )
    return rows


@login_required
def programme_detail(request, programme_id: int):
    """One row per set, 20 a page, with a filter by name and status: sizes, facilitators, dates
    and attendance figures, never what was said in the sets nor a list of every person (those
    are on the people page). Its queries do not grow with the programme."""
    programme = _managed_programme(request, programme_id)
    all_sets = Set.objects.visible_to(request.user).filter(programme=programme)
    search = _search(request)
    status = request.GET.get("status", "")
    if status not in Set.Status.values:
        status = ""
    sets = all_sets
    if search:
        sets = sets.filter(name__icontains=search)
    if status:
        sets = sets.filter(status=status)
    sets = (
        sets.only("name", "mode", "status", "self_facilitated")
        .annotate(is_open=Exists(OpenSet.objects.filter(set=OuterRef("pk"))))
        .order_by("name", "pk")
    )
    page = Paginator(sets, SETS_PER_PAGE).get_page(request.GET.get("page"))
    sets_on_page = list(page)  # a Page read in order keeps its sets as a list
    for set_ in sets_on_page:
        # Each set's size warning reads its programme's set sizes: this one, not a query each.
        set_.programme = programme
    rows = _describe(sets_on_page)
    # Counts only, and the programme is its managers' already: a plain join is half the cost
    # of filtering through visible_to's subqueries again.
    totals = Membership.objects.filter(set__programme=programme).aggregate(
        people=Count("pk"), organisations=Count("user__organisation", distinct=True)
    )
    context = {
        "programme": programme,
        **programme_page.context(programme),
        "page": page,
        "rows": rows,
        "set_count": all_sets.count() if search or status else page.paginator.count,
        "search": search,
        "status": status,
        "statuses": Set.Status.choices,
        "managers": programme.managers.all(),
        "people_count": totals["people"],
        "organisation_count": totals["organisations"],
    }
    return TemplateResponse(request, "programmes/programme_detail.html", context)


@login_required
def programme_people(request, programme_id: int):
    """Everyone in the programme's sets, 50 a page, searched by name or e-mail address: names,
    roles and organisations, as the programme page showed them before it grew."""
    programme = _managed_programme(request, programme_id)
    memberships = (
        Membership.objects.filter(
            set__in=Set.objects.visible_to(request.user).filter(programme=programme)
        )
        .select_related("user", "user__organisation", "set")
        .order_by("user__display_name", "user__pk", "set__name", "pk")
    )
    search = _search(request)
    if search:
        memberships = memberships.filter(
            Q(user__display_name__icontains=search) | Q(user__email__icontains=search)
        )
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"programme": programme, "page": page, "search": search}
    return TemplateResponse(request, "programmes/programme_people.html", context)
