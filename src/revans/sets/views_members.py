"""A set's members and invitations: the members page, inviting by e-mail (the invitation's
link is the e-mailed link flow of ``core.links``), changing a role, removing someone, and
accepting or joining on an invitation. Every change of membership goes through a ``do_*``
service that records it (``MembershipChange``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from revans.accounts.http import AuthenticatedHttpRequest
from revans.core.links import flow as links

from . import services
from .access import manage_access
from .forms import InvitationForm, RoleForm
from .models import (
    Invitation,
    Membership,
    Role,
    Set,
)
from .views import member_list


def _members_context(access, invite_form=None) -> dict:
    return {
        "access": access,
        "set": access.set,
        "memberships": member_list(access.set),
        "invitations": access.set.invitations.pending().select_related("invited_by"),
        "invite_form": invite_form or InvitationForm(set_=access.set),
        "roles": Role.choices,
        # Who joined, left or changed role, and by whose hand (architecture.md §4).
        "changes": access.set.membership_changes.all()[:50],
    }


@login_required
def set_members(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    access = manage_access(request.user, set_id)
    return TemplateResponse(request, "sets/members.html", _members_context(access))


@login_required
@require_POST
def invitation_create(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
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
def invitation_revoke(
    request: AuthenticatedHttpRequest, set_id: int, invitation_id: int
) -> HttpResponse:
    access = manage_access(request.user, set_id)
    invitation = get_object_or_404(access.set.invitations.all(), pk=invitation_id)
    if services.do_revoke_invitation(invitation, by=request.user):
        messages.success(request, f"The invitation to {invitation.email} is revoked.")
    else:
        messages.info(request, f"The invitation to {invitation.email} was no longer open.")
    if request.htmx:
        return HttpResponse("")
    return redirect("set_members", access.set.pk)


def _member_row(request: HttpRequest, access, membership, error: str = ""):
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
def membership_role(
    request: AuthenticatedHttpRequest, set_id: int, membership_id: int
) -> HttpResponse:
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
def membership_remove(
    request: AuthenticatedHttpRequest, set_id: int, membership_id: int
) -> HttpResponse:
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


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation's e-mail (architecture.md §6)."""
    invitations = Invitation.objects.select_related("set", "invited_by")
    return links.accept_page(
        request, token, invitations, services.do_accept_invitation, refused_url="dashboard"
    )


@login_required
@require_POST
def invitation_join(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """Accepts, from the dashboard, an invitation sent to the signed-in person's address."""
    invitation = get_object_or_404(
        Invitation.objects.pending().filter(email__iexact=request.user.email).select_related("set"),
        pk=invitation_id,
    )
    return links.accept_and_go(
        request, invitation, services.do_accept_invitation, refused_url="dashboard"
    )
