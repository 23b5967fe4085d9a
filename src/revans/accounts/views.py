from allauth.account.internal.flows.email_verification import send_verification_email_at_login
from allauth.account.stages import EmailVerificationStage, LoginStageController
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .forms import OrganisationForm, ProfileForm
from .models import Organisation


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    return TemplateResponse(request, "accounts/profile.html", {"form": form})


@login_required
def organisation_list(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, f"{organisation} added.")
        return redirect("organisation_list")
    organisations = Organisation.objects.annotate(people_count=Count("people"))
    return TemplateResponse(
        request,
        "accounts/organisation_list.html",
        {"form": form, "organisations": organisations},
    )


@require_POST
def verification_resend(request):
    """The "Send it again" button of the "verification sent" page: a new link for the sign-up
    (or sign-in) waiting in this browser for its e-mail address to be verified.

    Nobody types an address here, and the answer is the same whether or not the address already
    had an account (allauth then sends "you already have an account" instead), so the button
    tells a stranger nothing. Resending is rate-limited by allauth.
    """
    if request.user.is_authenticated:
        # Someone signed in verifies an added address from their e-mail addresses page.
        return redirect("account_email")
    stage = LoginStageController.enter(request, EmailVerificationStage.key)
    if stage is None:
        messages.info(request, "Sign in with your e-mail address and password to get a new link.")
        return redirect("account_login")
    if not send_verification_email_at_login(request, stage.login):
        messages.info(
            request,
            "A link was sent only a moment ago. Give it a few minutes (and look in your spam "
            "folder) before asking again.",
        )
    return redirect("account_email_verification_sent")
