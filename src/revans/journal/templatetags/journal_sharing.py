"""Sharing and assessment on pages that belong to the journal's other views: the comments under
an entry and the state of assessment at the top of a log."""

from django import template

from .. import sharing

register = template.Library()


@register.inclusion_tag("journal/_comments.html", takes_context=True)
def entry_comments(context, entry) -> dict:
    """The entry's comments and the form to add one, for its author and the log's readers."""
    request = context["request"]
    return {**sharing.comments_context(request.user, entry), "request": request}


@register.inclusion_tag("journal/_assessment.html", takes_context=True)
def log_assessment(context, log) -> dict:
    """The sharing, history and submission links of a log, and whether it is under assessment."""
    request = context["request"]
    return {
        "request": request,
        "log": log,
        "role": sharing.reader_role(log, request.user),
        "pending": sharing.pending_submission(log),
    }


@register.inclusion_tag("journal/_privacy.html")
def log_privacy(log) -> dict:
    """Says "Private to you", or whom the owner shares the log with now."""
    readers = list(log.shares.active().select_related("user").order_by("accepted_at"))
    return {"log": log, "readers": readers}
