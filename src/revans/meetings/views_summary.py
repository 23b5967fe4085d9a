"""A closed meeting's summary as files to keep: Markdown and PDF, for the people in the set."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from revans.audit.models import Action
from revans.audit.services import record
from revans.core.http import download

from .access import meeting_access
from .models import Meeting
from .room.summary import summary_filename, summary_markdown, summary_pdf


def _summary_for(user, meeting_id: int) -> Meeting:
    """The meeting, if ``user`` is in its set and it has a summary; otherwise the same 404."""
    meeting, access = meeting_access(user, meeting_id)
    if not access.in_set or not meeting.summary:
        raise Http404("No such summary")
    return meeting


@never_cache  # set content: no shared or browser cache keeps a copy
@login_required
def meeting_summary_md(request, meeting_id: int):
    meeting = _summary_for(request.user, meeting_id)
    record(request.user, Action.EXPORT, meeting, format="md", set=meeting.set_id)
    return download(
        summary_markdown(meeting),
        "text/markdown; charset=utf-8",
        summary_filename(meeting, "md"),
    )


@never_cache
@login_required
def meeting_summary_pdf(request, meeting_id: int):
    meeting = _summary_for(request.user, meeting_id)
    content = summary_pdf(meeting)
    record(request.user, Action.EXPORT, meeting, format="pdf", set=meeting.set_id)
    return download(content, "application/pdf", summary_filename(meeting, "pdf"))
