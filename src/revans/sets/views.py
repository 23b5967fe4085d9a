from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from revans.core.forms import id_from
from revans.core.htmx import page_or_partial
from revans.core.links import flow as links

from . import services
from .access import content_access, manage_access, set_access
from .forms import GroundRulesForm, InvitationForm, IssueForm, RoleForm, SetForm
from .models import (
    GroundRulesAgreement,
    Invitation,
    Issue,
    Membership,
    Role,
    Set,
)
from .page import set_page


@login_required
def set_create(request):
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
def set_edit(request, set_id: int):
    access = manage_access(request.user, set_id)
    form = SetForm(request.POST or None, instance=access.set, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Set details saved.")
        return redirect(access.set)
    return TemplateResponse(request, "sets/set_form.html", {"form": form, "access": access})


def _member_list(set_):
    return list(
        set_.memberships.select_related("user", "user__organisation").order_by(
            "role", "user__display_name"
        )
    )


@login_required
def set_detail(request, set_id: int):
    access = set_access(request.user, set_id)
    set_ = access.set
    memberships = _member_list(set_)
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
    return TemplateResponse(request, "sets/set_detail.html", context)


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
def ground_rules(request, set_id: int):
    access = content_access(request.user, set_id)
    memberships = _member_list(access.set)
    context = {"access": access, "set": access.set}
    context.update(_ground_rules_context(access.set, request.user, memberships))
    return page_or_partial(
        request, "sets/ground_rules.html", "sets/_ground_rules_agreement.html", context
    )


@login_required
def ground_rules_edit(request, set_id: int):
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
def ground_rules_agree(request, set_id: int):
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


@login_required
def issue_create(request, set_id: int):
    access = content_access(request.user, set_id)
    if access.role != Role.MEMBER:
        # Issues are the members' own; facilitators and observers do not present.
        raise Http404("No such set")
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = form.save(commit=False)
        issue.set = access.set
        issue.owner = request.user
        issue.save()
        messages.success(request, "Your issue is on the set page.")
        return redirect(access.set)
    return TemplateResponse(
        request, "sets/issue_form.html", {"access": access, "set": access.set, "form": form}
    )


@login_required
def issue_edit(request, set_id: int, issue_id: int):
    access = content_access(request.user, set_id)
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user).filter(set=access.set, owner=request.user),
        pk=issue_id,
    )
    form = IssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Issue saved.")
        return redirect(access.set)
    return TemplateResponse(
        request,
        "sets/issue_form.html",
        {"access": access, "set": access.set, "form": form, "issue": issue},
    )


def _members_context(access, invite_form=None) -> dict:
    return {
        "access": access,
        "set": access.set,
        "memberships": _member_list(access.set),
        "invitations": access.set.invitations.pending().select_related("invited_by"),
        "invite_form": invite_form or InvitationForm(set_=access.set),
        "roles": Role.choices,
        # Who joined, left or changed role, and by whose hand (architecture.md §4).
        "changes": access.set.membership_changes.all()[:50],
    }


@login_required
def set_members(request, set_id: int):
    access = manage_access(request.user, set_id)
    return TemplateResponse(request, "sets/members.html", _members_context(access))


@login_required
@require_POST
def invitation_create(request, set_id: int):
    access = manage_access(request.user, set_id)
    form = InvitationForm(request.POST, set_=access.set)
    if form.is_valid():
        try:
            sent = services.do_invite(
                access.set,
                form.cleaned_data["emails"],
                form.cleaned_data["role"],
                request.user,
                links.link_maker(request, Invitation),
            )
        except ValidationError as refusal:
            form.add_error("emails", refusal.messages[0])
    if not form.is_valid():
        return TemplateResponse(
            request, "sets/members.html", _members_context(access, form), status=400
        )
    messages.success(
        request,
        f"Invitation sent to {', '.join(i.email for i in sent)}."
        if len(sent) < 4
        else f"{len(sent)} invitations sent.",
    )
    return redirect("set_members", access.set.pk)


@login_required
@require_POST
def invitation_revoke(request, set_id: int, invitation_id: int):
    access = manage_access(request.user, set_id)
    invitation = get_object_or_404(access.set.invitations.all(), pk=invitation_id)
    if services.do_revoke_invitation(invitation):
        messages.success(request, f"The invitation to {invitation.email} is revoked.")
    else:
        messages.info(request, f"The invitation to {invitation.email} was no longer open.")
    if request.htmx:
        return HttpResponse("")
    return redirect("set_members", access.set.pk)


def _member_row(request, access, membership, error: str = ""):
    """One row of the members table, for htmx to swap in (an error shows inside the row)."""
    context = {"access": access, "membership": membership, "roles": Role.choices, "error": error}
    return TemplateResponse(request, "sets/_member_row.html", context)


def _membership_for(access, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(access.user)
        .filter(set=access.set)
        .select_related("user", "set"),
        pk=membership_id,
    )


@login_required
@require_POST
def membership_role(request, set_id: int, membership_id: int):
    access = manage_access(request.user, set_id)
    membership = _membership_for(access, membership_id)
    form = RoleForm(request.POST, instance=Membership(role=membership.role))
    error = ""
    if not form.is_valid():
        error = "Choose facilitator, member or observer."
    else:
        try:
            services.do_change_role(membership, form.cleaned_data["role"], by=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
            membership.refresh_from_db()
    if request.htmx:
        return _member_row(request, access, membership, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, f"{membership.user} is now {membership.get_role_display().lower()}."
        )
    return redirect("set_members", access.set.pk)


@login_required
@require_POST
def membership_remove(request, set_id: int, membership_id: int):
    access = manage_access(request.user, set_id)
    membership = _membership_for(access, membership_id)
    try:
        services.do_remove_member(membership, by=request.user)
    except ValidationError as exc:
        if request.htmx:
            return _member_row(request, access, membership, exc.messages[0])
        messages.error(request, exc.messages[0])
        return redirect("set_members", access.set.pk)
    left_themselves = membership.user_id == request.user.pk
    destination = reverse("set_members", args=[set_id])
    if left_themselves and not Set.objects.visible_to(request.user).filter(pk=set_id).exists():
        destination = reverse("dashboard")
    messages.success(request, f"{membership.user} has left the set.")
    if request.htmx:
        # The row disappears; someone who removed themselves goes where they still belong.
        return HttpResponseClientRedirect(destination) if left_themselves else HttpResponse("")
    return redirect(destination)


def invitation_accept(request, token: str):
    """The link in the invitation's e-mail (architecture.md §6)."""
    invitations = Invitation.objects.select_related("set", "invited_by")
    return links.accept_page(
        request, token, invitations, services.do_accept_invitation, refused_url="dashboard"
    )


@login_required
@require_POST
def invitation_join(request, invitation_id: int):
    """Accepts, from the dashboard, an invitation sent to the signed-in person's address."""
    invitation = get_object_or_404(
        Invitation.objects.pending().filter(email__iexact=request.user.email).select_related("set"),
        pk=invitation_id,
    )
    return links.accept_and_go(
        request, invitation, services.do_accept_invitation, refused_url="dashboard"
    )
