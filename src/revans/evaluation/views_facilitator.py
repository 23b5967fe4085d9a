"""The facilitator's view: every set they facilitate, across programmes and clients, in one
list; and, for one of their sets, attendance per member, how members follow through on their
actions, the question mix over time and the pulse after each meeting (n ≥ 5, ``figures``)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from revans.accounts.http import AuthenticatedHttpRequest
from revans.actions.models import Action
from revans.meetings.insight import for_set
from revans.meetings.models import Attendance, Meeting
from revans.sets.access import content_access
from revans.sets.models import Membership, Role, Set

from .delivery import delivery_of
from .figures import MIN_PEOPLE, WITHHELD, set_figures


@login_required
def facilitator_sets(request: AuthenticatedHttpRequest) -> TemplateResponse:
    """The sets ``request.user`` facilitates, whatever programme or client they belong to, with
    each one's delivery figures; closed sets last."""
    sets = list(
        Set.objects.visible_to(request.user)
        .filter(memberships__user=request.user, memberships__role=Role.FACILITATOR)
        .select_related("programme", "programme__sponsor")
        .distinct()
        .order_by("name", "pk")
    )
    delivery = {line.set_id: line for line in delivery_of(sets).sets}
    rows = [(s, delivery[s.pk]) for s in sets]
    rows.sort(key=lambda row: (row[0].status == Set.Status.CLOSED, row[0].name.casefold()))
    groups: dict[str, list] = defaultdict(list)
    for set_, line in rows:
        programme = set_.programme
        if programme is None:
            key = "Sets of your own"
        elif programme.sponsor_id:
            key = f"{programme.name} · {programme.sponsor}"
        else:
            key = programme.name
        groups[key].append((set_, line))
    context = {"groups": sorted(groups.items()), "set_count": len(sets)}
    return TemplateResponse(request, "evaluation/facilitator_sets.html", context)


@dataclass
class MemberRecord:
    """One member's attendance and follow-through, for the set's facilitator."""

    name: str
    attendance: list[str] = field(default_factory=list)  # a status per meeting held, or ""
    present: int = 0
    recorded: int = 0
    actions: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def committed(self) -> int:
        return sum(self.actions.values())

    @property
    def done(self) -> int:
        return self.actions.get(Action.Status.DONE, 0)

    @property
    def partly(self) -> int:
        return self.actions.get(Action.Status.PARTLY, 0)

    @property
    def not_done(self) -> int:
        return self.actions.get(Action.Status.NOT_DONE, 0) + self.actions.get(
            Action.Status.DROPPED, 0
        )

    @property
    def open(self) -> int:
        return self.actions.get(Action.Status.COMMITTED, 0)


@login_required
def set_figures_page(request: AuthenticatedHttpRequest, set_id: int) -> TemplateResponse:
    """One set's figures, for its facilitators only: members, observers and the programme's
    managers get the same 404 as a missing set (managers have the programme's dashboard)."""
    access = content_access(request.user, set_id)
    if not access.is_facilitator:
        raise Http404("No such set")
    set_ = access.set
    now = timezone.now()
    meetings = [
        m
        for m in Meeting.objects.with_content_for(request.user)
        .filter(set=set_)
        .order_by("starts_at")
        if m.status == Meeting.Status.CLOSED
        or (m.status != Meeting.Status.CANCELLED and m.ends_at <= now)
    ]
    members = list(
        Membership.objects.visible_to(request.user)
        .filter(set=set_, role=Role.MEMBER)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
    records = {m.user_id: MemberRecord(m.user.display_name) for m in members}
    marks: dict[tuple[int, int], str] = {}
    for meeting_id, user_id, status in (
        Attendance.objects.visible_to(request.user)
        .filter(meeting__in=[m.pk for m in meetings])
        .values_list("meeting_id", "user_id", "status")
    ):
        marks[(meeting_id, user_id)] = status
    for user_id, record in records.items():
        for meeting in meetings:
            status = marks.get((meeting.pk, user_id), "")
            record.attendance.append(status)
            if status:
                record.recorded += 1
                record.present += status == Attendance.Status.PRESENT
    for owner_id, status in (
        Action.objects.visible_to(request.user).filter(set=set_).values_list("owner_id", "status")
    ):
        if owner_id in records:
            records[owner_id].actions[status] += 1
    insight = for_set(set_, request.user)
    figures = set_figures(set_)
    context = {
        "set": set_,
        "access": access,
        "delivery": delivery_of([set_]).sets[0],
        "meetings": meetings,
        "records": list(records.values()),
        "mix_points": [p for p in insight.points if p.mix.counted],
        "figures": figures,
        "min_people": MIN_PEOPLE,
        "withheld": WITHHELD,
        "status_labels": dict(Attendance.Status.choices),
    }
    return TemplateResponse(request, "evaluation/set_figures.html", context)
