"""Your data: downloading it and deleting one's account. Each page is about the person signed
in, and only them: no ids in the addresses, nothing of anyone else's to reach."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from revans.audit.models import Action
from revans.audit.services import record
from revans.core.http import download_file

from . import export
from .forms import DeleteAccountForm
from .services import FORMER_MEMBER, consequences, do_delete_account, hand_overs


@login_required
@require_GET
def my_data(request):
    return TemplateResponse(request, "privacy/my_data.html", {"parts": export.PARTS})


@login_required
@require_GET
def my_data_download(request):
    archive = export.build(request.user)
    record(request.user, Action.DATA_DOWNLOADED)
    return download_file(archive, "application/zip", export.file_name())


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    waiting = hand_overs(request.user)
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and not waiting and form.is_valid():
        try:
            do_delete_account(request.user)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            logout(request)
            messages.success(request, "Your account is deleted. Thank you for taking part.")
            return redirect("home")
    if request.method == "POST" and waiting:
        form.is_valid()  # shows what was typed wrongly, with the refusal
        form.add_error(None, "Hand over the sets and programmes below first. Nothing was deleted.")
    return TemplateResponse(
        request,
        "privacy/delete_account.html",
        {
            "form": form,
            "waiting": waiting,
            "counts": consequences(request.user),
            "former_member": FORMER_MEMBER,
        },
        status=400 if request.method == "POST" else 200,
    )
