"""Sharing a log with a named assessor or supervisor, their comments, and submissions for
assessment: each ``do_*`` function makes one whole change, in one transaction.

A share is an e-mailed link like a set's ``Invitation`` (``revans.core.links``): its token only
the e-mail holds (the database keeps its hash), and whoever opens it must sign in with the address
it was sent to. Revoking a share takes the log away at once, because ``Log.objects.visible_to``
only counts active shares.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone

from revans.audit.models import Action
from revans.audit.services import record
from revans.core.links import flow as links

from .models import Comment, Entry, Log, Share, ShareRole, Submission

COMMENT_MAX = 10_000
NOTE_MAX = 10_000


# --- forms -------------------------------------------------------------------------------


class ShareForm(forms.Form):
    email = forms.EmailField(
        label="Their e-mail address",
        max_length=254,
        help_text="They must sign in with this address to open the log.",
    )
    role = forms.ChoiceField(
        label="As",
        choices=ShareRole.choices,
        initial=ShareRole.ASSESSOR,
        widget=forms.RadioSelect,
        help_text="Both read your saved entries (never your drafts) and comment; only an assessor "
        "signs off a submitted version.",
    )

    def __init__(self, *args, log: Log, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = log

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email == (self.log.owner.email or "").lower():
            raise forms.ValidationError(
                "That is your own address: share the log with someone else."
            )
        if self.log.shares.active().filter(email__iexact=email).exists():
            raise forms.ValidationError(f"The log is already shared with {email}.")
        return email


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a comment first."},
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Write a comment first.")
        return body


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("sign_off", "Sign it off"), ("return", "Return it for changes")],
        error_messages={"required": "Choose to sign it off or return it."},
    )
    note = forms.CharField(
        label="Note to the author",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you return it: say what to change.",
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["note"] = (cleaned.get("note") or "").strip()
        if cleaned.get("decision") == "return" and not cleaned["note"]:
            self.add_error("note", "Say what to change when you return it.")
        return cleaned


# --- getters -----------------------------------------------------------------------------


def owners_share(user, share_id: int) -> Share:
    """A share of one of ``user``'s own logs (a reader or a stranger gets 404)."""
    return get_object_or_404(
        Share.objects.filter(log__in=Log.objects.owned_by(user)).select_related("log", "user"),
        pk=share_id,
    )


def readable_submission(user, submission_id: int) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(user).select_related("log", "log__owner", "decided_by"),
        pk=submission_id,
    )


def assessable_submission(user, submission_id: int) -> Submission:
    """A submission of a log shared with ``user`` as its assessor (a supervisor gets 404)."""
    assessed = Share.objects.active().filter(user=user, role=ShareRole.ASSESSOR).values("log_id")
    return get_object_or_404(
        Submission.objects.visible_to(user).filter(log__in=assessed).select_related("log__owner"),
        pk=submission_id,
    )


def pending_submission(log: Log) -> Submission | None:
    return log.submissions.filter(status=Submission.Status.SUBMITTED).order_by("-number").first()


def reader_role(log: Log, user) -> str:
    """``"owner"``, ``"assessor"``, ``"supervisor"`` or ``""`` for ``user`` and ``log``."""
    if log.owner_id == user.pk:
        return "owner"
    share = Share.objects.active().filter(log=log, user=user).values_list("role", flat=True)
    return share.first() or ""


# --- sharing -----------------------------------------------------------------------------


def do_share(log: Log, email: str, role: str, link_for) -> Share:
    """Shares ``log`` with ``email`` (a pending share to the same address is sent again).

    ``link_for(token)`` turns a token into the absolute link to put in the e-mail.
    """
    with transaction.atomic():
        share = _open_share(log, email) or Share(log=log, email=email)
        share.role = role
        token = share.new_token()
        try:
            with transaction.atomic():
                share.save()
        except IntegrityError:
            # The same share made at the same moment (a double click): refresh that one.
            made = _open_share(log, email)
            if made is None:
                raise
            share = made
            share.role = role
            token = share.new_token()
            share.save()
        record(log.owner_id, Action.SHARE_CREATED, share, log=log.pk, role=share.role)
    links.send(share, token, link_for)
    return share


def _open_share(log: Log, email: str) -> Share | None:
    """The log's link to ``email`` not yet accepted or revoked (expired ones are renewed)."""
    return (
        log.shares.select_for_update()
        .filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )


def do_resend_share(share: Share, link_for) -> bool:
    """A fresh link (and expiry) for a share not yet accepted or revoked; False otherwise."""
    with transaction.atomic():
        share = Share.objects.select_for_update().get(pk=share.pk)
        if share.accepted_at or share.revoked_at:
            return False
        token = share.new_token()
        share.save(update_fields=["token_hash", "created_at", "expires_at"])
    links.send(share, token, link_for)
    return True


@transaction.atomic
def do_revoke_share(share: Share) -> bool:
    """Ends a share at once, whether pending or accepted; False when it was already revoked.
    Only the log's owner revokes (``owners_share``)."""
    revoked = Share.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        owner = Log.objects.filter(pk=share.log_id).values_list("owner_id", flat=True).get()
        record(owner, Action.SHARE_REVOKED, share, log=share.log_id, reader=share.user_id)
    return bool(revoked)


@transaction.atomic
def do_accept_share(share: Share, user) -> Share:
    """Gives ``user`` the log to read. The link proved they read the mailbox it went to."""
    if share.log.owner_id == user.pk:
        raise ValidationError("This is your own log: you do not need a share to read it.")
    if Share.objects.active().filter(log=share.log, user=user).exists():
        raise ValidationError("The log is already shared with you.")
    claimed = (
        Share.objects.pending().filter(pk=share.pk).update(accepted_at=timezone.now(), user=user)
    )
    if not claimed:
        raise ValidationError("This link has already been used, withdrawn or has expired.")
    links.confirm_address(user)
    share.refresh_from_db()
    record(user, Action.SHARE_ACCEPTED, share, log=share.log_id, role=share.role)
    return share


# --- comments ----------------------------------------------------------------------------


def do_comment(entry: Entry, author, body: str) -> Comment:
    """A comment by the log's owner or one of its readers; made while a version is under
    assessment, it belongs to that submission too."""
    return Comment.objects.create(
        entry=entry, author=author, body=body, submission=pending_submission(entry.log)
    )


def comments_context(user, entry: Entry, form: CommentForm | None = None) -> dict:
    """The entry's comments, each with its author's part (author, assessor, supervisor), and the
    form to add one: for the entry page and its htmx partial."""
    roles = dict(entry.log.shares.filter(user__isnull=False).values_list("user_id", "role"))
    comments = list(
        Comment.objects.visible_to(user).filter(entry=entry).select_related("author", "submission")
    )
    for comment in comments:
        if comment.author_id == entry.log.owner_id:
            comment.part = "Author"
        else:
            comment.part = (
                ShareRole(roles[comment.author_id]).label if comment.author_id in roles else ""
            )
    return {
        "entry": entry,
        "comments": comments,
        "comment_form": form or CommentForm(),
        "is_owner": entry.log.owner_id == user.pk,
        "under_assessment": pending_submission(entry.log),
    }


# --- submissions -------------------------------------------------------------------------


def do_submit(log: Log, link_for) -> Submission:
    """Freezes the log's saved entries as the next version for assessment, and tells its
    assessors. Refused (ValidationError) with no saved entry or a version still pending."""
    with transaction.atomic():
        # Lock the log so that two submits at once make one version and one refusal.
        Log.objects.select_for_update().filter(pk=log.pk).first()
        if not log.entries.filter(draft=False).exists():
            raise ValidationError(
                "There is nothing to submit yet: save at least one entry (not a draft)."
            )
        if pending_submission(log):
            raise ValidationError(
                "A version is already under assessment. Wait for your assessor's decision."
            )
        last = log.submissions.aggregate(last=Max("number"))["last"] or 0
        submission = Submission.objects.create(log=log, number=last + 1, snapshot=log.snapshot())
    assessors = log.shares.active().filter(role=ShareRole.ASSESSOR).select_related("user")
    recipients = [share.user.email for share in assessors]
    if recipients:
        send_mail(
            subject=f"[Revans] {log.owner} submitted “{log}” for assessment",
            message=render_to_string(
                "journal/email/submission_submitted.txt",
                {"submission": submission, "log": log, "link": link_for(submission)},
            ),
            from_email=None,
            recipient_list=recipients,
        )
    return submission


def do_decide(submission: Submission, assessor, decision: str, note: str, link: str) -> bool:
    """Signs off or returns a pending submission, and tells the author; False when someone
    else decided first."""
    status = Submission.Status.SIGNED_OFF if decision == "sign_off" else Submission.Status.RETURNED
    decided = Submission.objects.filter(
        pk=submission.pk, status=Submission.Status.SUBMITTED
    ).update(status=status, decided_at=timezone.now(), decided_by=assessor, decision_note=note)
    if not decided:
        return False
    submission.refresh_from_db()
    owner = submission.log.owner
    send_mail(
        subject=f"[Revans] “{submission.log}” version {submission.number}: "
        f"{submission.get_status_display().lower()}",
        message=render_to_string(
            "journal/email/submission_decided.txt",
            {"submission": submission, "log": submission.log, "link": link},
        ),
        from_email=None,
        recipient_list=[owner.email],
    )
    return True
