"""Sharing a log with an assessor or supervisor, their comments, submitting for assessment,
the decision, and the log's history of submitted versions."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from revans.core.links import flow as links

from . import sharing
from .access import own_log, readable_entry, readable_log
from .markdown import render_markdown
from .models import Comment, Share, ShareRole, Submission
from .sharing import CommentForm, DecisionForm, ShareForm
from .waiting import do_mark_comments_seen

# --- the owner's sharing page ------------------------------------------------------------


def _sharing_page(request, log, form=None, status=200):
    context = {
        "log": log,
        "shares": list(log.shares.select_related("user")),
        "form": form or ShareForm(log=log),
        "days": settings.INVITATION_DAYS,
    }
    return TemplateResponse(request, "journal/sharing.html", context, status=status)


@login_required
def log_sharing(request, log_id: int):
    """Who may read the log: each share with its state, and the form to share it."""
    return _sharing_page(request, own_log(request.user, log_id))


@login_required
@require_POST
def share_create(request, log_id: int):
    log = own_log(request.user, log_id)
    form = ShareForm(request.POST, log=log)
    if not form.is_valid():
        return _sharing_page(request, log, form, status=400)
    share = sharing.do_share(
        log, form.cleaned_data["email"], form.cleaned_data["role"], links.link_maker(request, Share)
    )
    messages.success(
        request,
        f"Invitation sent to {share.email}. They can read the log once they accept it.",
    )
    return redirect("log_sharing", log.pk)


def _share_row(request, share, log_id: int):
    if request.htmx:
        share.refresh_from_db()
        context = {"share": share, "log": share.log}
        return TemplateResponse(request, "journal/_share_row.html", context)
    return redirect("log_sharing", log_id)


@login_required
@require_POST
def share_resend(request, share_id: int):
    share = sharing.owners_share(request.user, share_id)
    if sharing.do_resend_share(share, links.link_maker(request, Share)):
        messages.success(request, f"A new link is on its way to {share.email}.")
    else:
        messages.info(request, f"The invitation to {share.email} was no longer open.")
    return _share_row(request, share, share.log_id)


@login_required
@require_POST
def share_revoke(request, share_id: int):
    share = sharing.owners_share(request.user, share_id)
    if sharing.do_revoke_share(share):
        messages.success(request, f"{share.email} can no longer open the log.")
    else:
        messages.info(request, f"The share with {share.email} was already revoked.")
    return _share_row(request, share, share.log_id)


# --- the reader's link -------------------------------------------------------------------


def share_accept(request, token: str):
    """The link in the e-mail: only the person it was sent to, signed in, may accept it
    (architecture.md §6)."""
    shares = Share.objects.select_related("log", "log__owner")
    return links.accept_page(request, token, shares, sharing.do_accept_share, refused_url="journal")


# --- comments ----------------------------------------------------------------------------


@login_required
@require_POST
def comment_create(request, entry_id: int):
    """A comment on an entry, by its author or a reader of the log (never a change to it)."""
    entry = readable_entry(request.user, entry_id)
    form = CommentForm(request.POST)
    anchor = f"{entry.get_absolute_url()}#comments"
    if entry.draft:
        form.add_error(None, "Drafts take no comments: save the entry first.")
    elif form.is_valid():
        comment = sharing.do_comment(entry, request.user, form.cleaned_data["body"])
        # The answer shows the whole thread, so nothing on it is new to its author any more.
        do_mark_comments_seen(request.user, entry)
        if request.htmx:
            context = _comments_context(request, entry, comment)
            return TemplateResponse(request, "journal/_comments.html", context)
        messages.success(request, "Comment added.")
        return redirect(anchor)
    if request.htmx:
        context = _comments_context(request, entry, form=form)
        return TemplateResponse(request, "journal/_comments.html", context, status=400)
    for error in form.errors.get("body", []) + form.non_field_errors():
        messages.error(request, str(error))
    return redirect(anchor)


def _comments_context(request, entry, added=None, form=None) -> dict:
    context = sharing.comments_context(request.user, entry, form=form)
    context["request"] = request
    context["added"] = added
    return context


# --- submissions -------------------------------------------------------------------------


def _submit_context(log) -> dict:
    """What submitting ``log`` now would freeze, and who would be told."""
    saved = log.entries.filter(draft=False)
    counts = saved.aggregate(entries=Count("pk"), words=Sum("word_count"))
    assessors = [
        share.user
        for share in log.shares.active().filter(role=ShareRole.ASSESSOR).select_related("user")
    ]
    last = log.submissions.order_by("-number").first()
    return {
        "log": log,
        "number": (last.number if last else 0) + 1,
        "entries": counts["entries"],
        "words": counts["words"] or 0,
        "drafts": log.entries.filter(draft=True).count(),
        "assessors": assessors,
        "pending": last if last and last.status == Submission.Status.SUBMITTED else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def log_submit(request, log_id: int):
    """Asks first (GET: what submitting means, and a button), then submits (POST)."""
    log = own_log(request.user, log_id)
    if request.method == "GET":
        return TemplateResponse(request, "journal/submit_confirm.html", _submit_context(log))
    try:
        submission = sharing.do_submit(
            log,
            lambda s: request.build_absolute_uri(reverse("submission_detail", args=[s.pk])),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("log_history", log.pk)
    if log.shares.active().filter(role=ShareRole.ASSESSOR).exists():
        messages.success(
            request,
            f"Version {submission.number} is submitted; your assessor has been told. "
            "You can keep writing: later entries go into your next version.",
        )
    else:
        messages.warning(
            request,
            f"Version {submission.number} is submitted, but no assessor has accepted a share "
            "of this log yet: share it with your assessor so they can assess it.",
        )
    return redirect("log_history", log.pk)


@login_required
def log_history(request, log_id: int):
    """Every submitted version of the log, its state, decision and note."""
    log = readable_log(request.user, log_id)
    submissions = list(log.submissions.select_related("decided_by"))
    for submission in submissions:
        entries = submission.snapshot.get("entries", [])
        submission.entry_count = len(entries)
        submission.words = sum(e.get("word_count", 0) for e in entries)
    role = sharing.reader_role(log, request.user)
    context = {
        "log": log,
        "role": role,
        "is_owner": role == "owner",
        "submissions": submissions,
        "pending": next((s for s in submissions if s.status == Submission.Status.SUBMITTED), None),
        "saved_entries": log.entries.filter(draft=False).count() if role == "owner" else 0,
    }
    return TemplateResponse(request, "journal/history.html", context)


def _day(value) -> date | None:
    """A frozen entry's ISO date, or None if the snapshot holds something else."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _version_context(request, submission, form=None) -> dict:
    snapshot = submission.snapshot
    comments: dict[int, list[Comment]] = {}
    for comment in submission.comments.select_related("author").order_by("created_at"):
        comments.setdefault(comment.entry_id, []).append(comment)
    entries = [
        {
            **entry,
            "html": render_markdown(entry.get("body", "")),
            "day": _day(entry.get("date")),
            "comments": comments.get(entry.get("id"), []),
        }
        for entry in snapshot.get("entries", [])
    ]
    role = sharing.reader_role(submission.log, request.user)
    return {
        "submission": submission,
        "log": submission.log,
        "snapshot": snapshot,
        "entries": entries,
        "words": sum(e.get("word_count", 0) for e in entries),
        "role": role,
        "can_decide": role == ShareRole.ASSESSOR
        and submission.status == Submission.Status.SUBMITTED,
        "form": form or DecisionForm(),
    }


@login_required
def submission_detail(request, submission_id: int):
    """A submitted version, read-only, as it was frozen."""
    submission = sharing.readable_submission(request.user, submission_id)
    return TemplateResponse(
        request, "journal/submission_detail.html", _version_context(request, submission)
    )


@login_required
@require_POST
def submission_decide(request, submission_id: int):
    """The assessor signs a submitted version off, or returns it for changes with a note."""
    submission = sharing.assessable_submission(request.user, submission_id)
    form = DecisionForm(request.POST)
    if submission.status != Submission.Status.SUBMITTED:
        messages.info(request, f"Version {submission.number} has already been decided.")
        return redirect("submission_detail", submission.pk)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "journal/submission_detail.html",
            _version_context(request, submission, form),
            status=400,
        )
    decided = sharing.do_decide(
        submission,
        request.user,
        form.cleaned_data["decision"],
        form.cleaned_data["note"],
        request.build_absolute_uri(reverse("log_history", args=[submission.log_id])),
    )
    if decided:
        submission.refresh_from_db()
        messages.success(
            request,
            f"Version {submission.number} is {submission.get_status_display().lower()}; "
            f"{submission.log.owner} has been told.",
        )
    else:
        messages.info(request, f"Version {submission.number} has already been decided.")
    return redirect("submission_detail", submission.pk)
