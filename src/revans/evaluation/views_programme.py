"""A programme's own survey questions, for its managers (asked after Revans' own)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from revans.accounts.http import AuthenticatedHttpRequest
from revans.programmes.access import programme_access

from . import services
from .access import programme_question
from .forms import ProgrammeQuestionForm
from .models import ProgrammeQuestion
from .questions import shipped


@login_required
def programme_questions(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme's questions, after the shipped ones it cannot change, and a form to add."""
    programme = programme_access(request.user, programme_id)
    form = ProgrammeQuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_add_programme_question(
                programme, form.cleaned_data["text"], form.cleaned_data["kind"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Question added to the start and end surveys.")
            return redirect("programme_questions", programme.pk)
    context = {
        "programme": programme,
        "form": form,
        "questions": ProgrammeQuestion.objects.filter(programme=programme),
        "shipped": shipped(),
    }
    return TemplateResponse(request, "evaluation/programme_questions.html", context)


@login_required
@require_POST
def programme_question_delete(
    request: AuthenticatedHttpRequest, programme_id: int, question_id: int
) -> HttpResponse:
    question = programme_question(request.user, programme_id, question_id)
    try:
        services.do_delete_programme_question(question)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"“{question.text}” is no longer asked.")
    return redirect("programme_questions", programme_id)
