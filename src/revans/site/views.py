from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from revans.accounts.http import AuthenticatedHttpRequest
from revans.development.dashboard import programmes_for as development_places
from revans.evaluation.offers import waiting_for as surveys_waiting
from revans.journal.waiting import waiting_for
from revans.meetings.models import Meeting
from revans.programmes.models import OpenSet, Programme
from revans.sets.models import (
    Expectations,
    GroundRules,
    GroundRulesAgreement,
    Invitation,
    Issue,
    Membership,
    Role,
    Set,
)


def home(request: HttpRequest) -> HttpResponseRedirect:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("account_login")


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> TemplateResponse:
    """My sets (role, my issue, ground rules to agree), my programmes, invitations waiting, and
    learning-log work waiting for me (to assess, to answer, returned, new comments)."""
    user = request.user
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("set", "set__programme")
        .annotate(
            member_count=Count("set__memberships", filter=Q(set__memberships__role=Role.MEMBER))
        )
        .order_by("set__status", "set__name")
    )
    set_ids = [m.set_id for m in memberships]
    issues: dict[int, list[Issue]] = {}
    for issue in (
        Issue.objects.visible_to(user)
        .filter(owner=user)
        .exclude(status__in=[Issue.Status.RESOLVED, Issue.Status.SET_ASIDE])
    ):
        issues.setdefault(issue.set_id, []).append(issue)
    latest: dict[int, GroundRules] = {}
    for rules in (
        GroundRules.objects.visible_to(user).filter(set__in=set_ids).order_by("set", "-version")
    ):
        latest.setdefault(rules.set_id, rules)
    agreed = set(
        GroundRulesAgreement.objects.visible_to(user)
        .filter(user=user, ground_rules__in=[r.pk for r in latest.values()])
        .values_list("ground_rules_id", flat=True)
    )
    now = timezone.now()
    upcoming = [
        m
        for m in Meeting.objects.visible_to(user)
        .filter(set__in=set_ids)
        .not_over()
        .select_related("set")
        if m.ends_at > now
    ]
    next_by_set: dict[int, Meeting] = {}
    for meeting in upcoming:
        next_by_set.setdefault(meeting.set_id, meeting)
    # Before a set's first meeting, each member is asked what they hope for (read only by the
    # set's facilitators): asked of the database only when such a meeting is next.
    before_first = {
        m.set_id
        for m in memberships
        if m.role == Role.MEMBER and getattr(next_by_set.get(m.set_id), "number", None) == 1
    }
    if before_first:
        before_first -= set(
            Expectations.objects.visible_to(user)
            .filter(user=user, set__in=before_first)
            .values_list("set_id", flat=True)
        )
    for membership in memberships:
        membership.next_meeting = next_by_set.get(membership.set_id)
        membership.expectations_waiting = membership.set_id in before_first
        membership.my_issues = issues.get(membership.set_id, [])
        rules = latest.get(membership.set_id)
        membership.rules_to_agree = rules if rules and rules.pk not in agreed else None
    # Surveys and pulses waiting for a member (always offered, always optional).
    surveys = {w.membership.pk: w for w in surveys_waiting(memberships) if w.any}
    for membership in memberships:
        membership.surveys = surveys.get(membership.pk)
    programmes = list(
        Programme.objects.visible_to(user).annotate(
            set_count=Count("sets", distinct=True),
            people_count=Count("sets__memberships", distinct=True),
        )
    )
    invitations = (
        Invitation.objects.pending().filter(email__iexact=user.email).select_related("set")
    )
    # Programmes this person takes part in with sets open to join (not those they manage:
    # a manager joins a set only on a facilitator's invitation). The few programmes with open
    # sets first, so that the programmes' people are searched for those alone.
    open_sets = dict(
        OpenSet.objects.exclude(set__status=Set.Status.CLOSED)
        .values_list("set__programme_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    joinable = []
    if open_sets:
        joinable = list(
            Programme.objects.filter(pk__in=list(open_sets))
            .open_to(user)
            .exclude(managers=user)
            .order_by("name")
        )
    for programme in joinable:
        programme.open_sets = open_sets[programme.pk]
    # Facilitators' programmes this person trains in or is a trainee of (those she manages are
    # among her programmes above).
    development = [p for p in development_places(user, programmes) if p.role != "manager"]
    # Coming up: the meetings this person comes to, not those a set she facilitates runs itself.
    facilitates = {m.set_id for m in memberships if m.role == Role.FACILITATOR}
    coming = [m for m in upcoming if not (m.set_id in facilitates and m.self_facilitated)]
    context = {
        "memberships": memberships,
        "upcoming": coming[:5],
        "programmes": programmes,
        "invitations": invitations,
        "joinable": joinable,
        "facilitating": sum(1 for m in memberships if m.role == Role.FACILITATOR),
        "development": development,
        # The practice record, for anyone who facilitates, trains or trains as a facilitator.
        "practises": bool(facilitates or development or user.facilitator_training),
        "waiting": waiting_for(user),
        # "New programme" is offered to staff and to people who already run a programme, not to
        # every member; the page itself stays open to anyone signed in, so a new programme
        # manager can still start their first one from its address.
        "offer_programme": user.is_staff or bool(programmes),
    }
    return TemplateResponse(request, "site/dashboard.html", context)
