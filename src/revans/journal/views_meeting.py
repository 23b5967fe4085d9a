"""From the meeting to the log: "Add to my log" on a closed meeting (issue 6, item 5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from revans.meetings.access import meeting_with_content
from revans.meetings.models import Meeting

from .chairing import chairing, facilitates, set_figures
from .forms_meeting import ReflectForm
from .models import Entry
from .reflect import do_add_meeting_to_log, own_contributions


@login_required
def meeting_reflect(request, meeting_id: int):
    """Choose a log, then open a draft that holds only the person's own contributions. The
    meeting must be one of their sets' (a programme manager's answer is 404, as for a stranger)."""
    meeting = meeting_with_content(request.user, meeting_id)
    form = ReflectForm(request.POST or None, user=request.user)
    closed = meeting.status == Meeting.Status.CLOSED
    if request.method == "POST" and closed and form.is_valid():
        with transaction.atomic():
            entry = do_add_meeting_to_log(request.user, meeting, form.chosen_log())
        messages.success(
            request,
            f"A draft about meeting {meeting.number} is in “{entry.log}”, with your own actions "
            "and questions. Only you can see it.",
        )
        return redirect("entry_edit", entry.pk)
    facilitator = closed and facilitates(request.user, meeting)
    context = {
        "meeting": meeting,
        "set": meeting.set,
        "form": form,
        "closed": closed,
        "facilitator": facilitator,
        "figures": set_figures(request.user, meeting) if facilitator else None,
        "chairing": chairing(request.user, meeting) if facilitator else None,
        "contributions": own_contributions(request.user, meeting)
        if closed and not facilitator
        else None,
        "written": list(
            Entry.objects.owned_by(request.user).filter(meeting=meeting).select_related("log")
        ),
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "journal/meeting_reflect.html", context, status=status)
