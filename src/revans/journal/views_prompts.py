"""The prompt sets a programme's managers add for the people in its sets (issue 6, item 2).

Only the programme's managers open these pages; anyone else gets the 404 of a missing programme.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from revans.programmes.access import programme_access
from revans.programmes.models import Programme

from .forms_meeting import ProgrammePromptSetForm
from .models import ProgrammePromptSet


def _prompt_set(programme: Programme, prompt_set_id: int) -> ProgrammePromptSet:
    return get_object_or_404(programme.prompt_sets.all(), pk=prompt_set_id)


@login_required
def programme_prompts(request, programme_id: int):
    """The programme's prompt sets, and a form to add one."""
    programme = programme_access(request.user, programme_id)
    form = ProgrammePromptSetForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        prompt_set = form.save()
        messages.success(
            request, f"Prompt set “{prompt_set.name}” added: the people in the sets can use it."
        )
        return redirect("programme_prompts", programme.pk)
    context = {
        "programme": programme,
        "prompt_sets": list(programme.prompt_sets.all()),
        "form": form,
    }
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "journal/programme_prompts.html", context, status=status)


@login_required
def programme_prompt_edit(request, programme_id: int, prompt_set_id: int):
    programme = programme_access(request.user, programme_id)
    prompt_set = _prompt_set(programme, prompt_set_id)
    form = ProgrammePromptSetForm(request.POST or None, instance=prompt_set, programme=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Prompt set “{prompt_set.name}” saved.")
        return redirect("programme_prompts", programme.pk)
    context = {"programme": programme, "prompt_set": prompt_set, "form": form}
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "journal/programme_prompt_form.html", context, status=status)


@login_required
def programme_prompt_delete(request, programme_id: int, prompt_set_id: int):
    programme = programme_access(request.user, programme_id)
    prompt_set = _prompt_set(programme, prompt_set_id)
    if request.method == "POST":
        prompt_set.delete()
        messages.success(
            request,
            f"Prompt set “{prompt_set.name}” deleted. Entries written from it keep their text.",
        )
        return redirect("programme_prompts", programme.pk)
    context = {"programme": programme, "prompt_set": prompt_set}
    return TemplateResponse(request, "journal/programme_prompt_delete.html", context)
