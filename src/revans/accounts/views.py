from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse

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
