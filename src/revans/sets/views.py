from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from revans.accounts.http import AuthenticatedHttpRequest
from revans.core.forms import id_from
from revans.core.htmx import page_or_partial

from . import services
from .access import content_access, manage_access, set_access
from .forms import GroundRulesForm, IssueForm, SetForm
from .models import (
    Expectations,
    GroundRulesAgreement,
    Issue,
    Role,
)
from .page import set_page
from .questions import shipped


@login_required
def set_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = id_from(request.GET.get("programme", ""))
    initial = {"programme": programme} if programme else {}
    form = SetForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        set_ = services.do_create_set(
            form.save(commit=False), request.user, form.cleaned_data["facilitate"]
        )
        messages.success(request, f"The set “{set_}” is ready. Next: invite its members.")
        return redirect("set_members", set_.pk)
    return TemplateResponse(request, "sets/set_form.html", {"form": form})


@login_required
def set_edit(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    access = manage_access(request.user, set_id)
    form = SetForm(request.POST or None, instance=access.set, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Set details saved.")
        return redirect(access.set)
    return TemplateResponse(request, "sets/set_form.html", {"form": form, "access": access})


def member_list(set_):
    return list(
        set_.memberships.select_related("user", "user__organisation").order_by(
            "role", "user__display_name"
        )
    )


@login_required
def set_detail(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    access = set_access(request.user, set_id)
    set_ = access.set
    memberships = member_list(set_)
    member_count = sum(1 for m in memberships if m.role == Role.MEMBER)
    context = {
        "access": access,
        "set": set_,
        "memberships": memberships,
        "member_count": member_count,
        "size_warning": set_.size_warning(member_count),
        **set_page.context(request.user, set_, access, memberships),
    }
    if access.in_set:
        # Set content: only for the people in the set (architecture.md §4).
        issues = Issue.objects.visible_to(request.user).filter(set=set_).select_related("owner")
        by_owner: dict[int, list[Issue]] = {}
        for issue in issues:
            by_owner.setdefault(issue.owner_id, []).append(issue)
        for membership in memberships:
            membership.issue_list = by_owner.get(membership.user_id, [])
        context["my_issues"] = by_owner.get(request.user.pk, [])
        context.update(_ground_rules_context(set_, request.user, memberships))
        context.update(_expectations_context(access, memberships))
    return TemplateResponse(request, "sets/set_detail.html", context)


def _expectations_context(access, memberships) -> dict:
    """A member's own questionnaire; for a facilitator, how many members have answered."""
    if access.role == Role.MEMBER:
        mine = Expectations.objects.visible_to(access.user).filter(set=access.set, user=access.user)
        return {"expectations_offered": True, "my_expectations": mine.first()}
    if access.is_facilitator:
        members = {m.user_id for m in memberships if m.role == Role.MEMBER}
        answered = Expectations.objects.visible_to(access.user).filter(set=access.set)
        ids = set(answered.values_list("user_id", flat=True))
        return {"expectations_answered": len(members & ids), "expectations_members": len(members)}
    return {}


def _ground_rules_context(set_, user, memberships) -> dict:
    current = services.current_ground_rules(set_, user)
    agreements = {}
    if current is not None:
        agreements = {
            a.user_id: a
            for a in GroundRulesAgreement.objects.visible_to(user).filter(ground_rules=current)
        }
    for membership in memberships:
        membership.agreement = agreements.get(membership.user_id)
    return {
        "ground_rules": current,
        "agreement_people": memberships,
        # People who agreed and have since left the set do not count.
        "agreed_count": sum(1 for m in memberships if m.agreement),
        "my_agreement": agreements.get(user.pk),
    }


@login_required
def ground_rules(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    access = content_access(request.user, set_id)
    memberships = member_list(access.set)
    context = {"access": access, "set": access.set}
    context.update(_ground_rules_context(access.set, request.user, memberships))
    return page_or_partial(
        request, "sets/ground_rules.html", "sets/_ground_rules_agreement.html", context
    )


@login_required
def ground_rules_edit(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    access = content_access(request.user, set_id)
    if not access.can_chair:
        raise Http404("No such set")
    initial = {"rules": "\n".join(services.draft_rules(access.set, request.user))}
    form = GroundRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _, changed = services.do_save_ground_rules(
            access.set, form.cleaned_data["rules"], request.user
        )
        if changed:
            messages.success(request, "Ground rules saved. Everyone in the set is asked to agree.")
        else:
            messages.info(request, "The ground rules were unchanged.")
        return redirect("ground_rules", access.set.pk)
    current = services.current_ground_rules(access.set, request.user)
    return TemplateResponse(
        request,
        "sets/ground_rules_form.html",
        {"access": access, "set": access.set, "form": form, "current": current},
    )


@login_required
@require_POST
def ground_rules_agree(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    access = content_access(request.user, set_id)
    current = services.current_ground_rules(access.set, request.user)
    version = request.POST.get("version", "")
    if current is None or version != str(current.version):
        messages.error(
            request, "The ground rules changed while you were reading them. Please read them again."
        )
        return redirect("ground_rules", access.set.pk)
    services.do_agree_to_ground_rules(current, request.user)
    if not request.htmx:
        messages.success(request, "Thank you: your agreement is recorded.")
    return ground_rules(request, set_id)


def _issue_kind(request: AuthenticatedHttpRequest, issue: Issue | None) -> str | None:
    """The kind the issue form is for: the one posted (a form from before kinds posts none:
    the issue's own, or a work project), the one asked for in the address, or the issue's."""
    if request.method == "POST":
        return request.POST.get("kind") or (issue.kind if issue else Issue.Kind.PROJECT)
    asked = request.GET.get("kind", "")
    if shipped().kind(asked) is not None:
        return asked
    return issue.kind if issue else None


def _issue_form_page(
    request: AuthenticatedHttpRequest, access, form: IssueForm, issue: Issue | None
) -> TemplateResponse:
    kinds = shipped().kinds
    other_kinds = [k for k in kinds if form.issue_kind is None or k.key != form.issue_kind.key]
    return TemplateResponse(
        request,
        "sets/issue_form.html",
        {
            "access": access,
            "set": access.set,
            "form": form,
            "issue": issue,
            "kind": form.issue_kind,
            "other_kinds": other_kinds,
            "suitability": shipped(),
        },
    )


@login_required
def issue_create(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    access = content_access(request.user, set_id)
    if access.role != Role.MEMBER:
        # Issues are the members' own; facilitators and observers do not present.
        raise Http404("No such set")
    kind = _issue_kind(request, None)
    if kind is None:
        # First the kind, each explained: the form then asks that kind's questions.
        return TemplateResponse(
            request,
            "sets/issue_kind.html",
            {"access": access, "set": access.set, "questions": shipped()},
        )
    form = IssueForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        issue = form.save(commit=False)
        issue.set = access.set
        issue.owner = request.user
        issue.save()
        messages.success(request, "Your issue is saved. The people in the set can read it.")
        return redirect(issue)
    return _issue_form_page(request, access, form, None)


@login_required
def issue_edit(request: AuthenticatedHttpRequest, set_id: int, issue_id: int) -> HttpResponse:
    access = content_access(request.user, set_id)
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user).filter(set=access.set, owner=request.user),
        pk=issue_id,
    )
    form = IssueForm(request.POST or None, instance=issue, kind=_issue_kind(request, issue) or "")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Issue saved.")
        return redirect(issue)
    return _issue_form_page(request, access, form, issue)


@login_required
def issue_detail(request: AuthenticatedHttpRequest, set_id: int, issue_id: int) -> HttpResponse:
    """One issue with its guiding questions' answers, for the people in the set."""
    access = content_access(request.user, set_id)
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user).filter(set=access.set).select_related("owner"),
        pk=issue_id,
    )
    return TemplateResponse(
        request,
        "sets/issue_detail.html",
        {
            "access": access,
            "set": access.set,
            "issue": issue,
            "kind": shipped().kind(issue.kind),
            "mine": issue.owner_id == request.user.pk,
        },
    )
