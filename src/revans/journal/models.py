"""Learning logs: a person's reflective log, its entries, attachments, shares with an assessor,
submissions for assessment and the assessor's comments.

A log is its author's alone (architecture.md §4): ``Log.objects.visible_to(user)`` gives the logs a person
owns and those shared with them through an accepted, unrevoked ``Share``; every model holding log
content scopes itself through it. Drafts stay the author's own even in a shared log.
"""

import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from revans.core.dates import add_months
from revans.core.links.models import EmailLink, EmailLinkQuerySet
from revans.programmes.models import Programme
from revans.sets.models import Set, sets_with_content_for

from .markdown import MAX_LENGTH, count_words

PERIOD_MIN, PERIOD_MAX = 1, 24  # months
WORDS_LIMIT = 200_000  # the largest word target anyone could mean
MAX_SECTIONS, MAX_SECTION_LENGTH = 20, 200


def today() -> date:
    """Today where the person is (the time zone middleware sets it for each request)."""
    return timezone.localdate()


class LogQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LogQuerySet":
        """Logs ``user`` owns, and logs shared with them through an active share."""
        if not user.is_authenticated:
            return self.none()
        shared = Share.objects.active().filter(user=user).values("log_id")
        return self.filter(Q(owner=user) | Q(pk__in=shared))

    def owned_by(self, user) -> "LogQuerySet":
        """Logs ``user`` may change: only their own."""
        return self.visible_to(user).filter(owner=user)


class Log(models.Model):
    """A person's reflective learning log: entries towards a word target over a period."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="logs"
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(5000)],
        help_text="What the log is for, in a sentence or two; it opens the exported log.",
    )
    started_on = models.DateField("start date", default=today)
    period_months = models.PositiveSmallIntegerField(
        "period (months)",
        default=9,
        validators=[MinValueValidator(PERIOD_MIN), MaxValueValidator(PERIOD_MAX)],
    )
    words_min = models.PositiveIntegerField(
        "at least (words)", default=1500, validators=[MaxValueValidator(WORDS_LIMIT)]
    )
    words_max = models.PositiveIntegerField(
        "at most (words)",
        default=7000,
        validators=[MinValueValidator(1), MaxValueValidator(WORDS_LIMIT)],
    )
    template = models.SlugField(
        max_length=40, blank=True, help_text="The shipped template it started from, if any."
    )
    sections = models.JSONField(
        default=list, blank=True, help_text="Section titles, copied from the template and editable."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LogQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(words_min__lte=models.F("words_max")), name="log_words_min_lte_max"
            ),
            models.CheckConstraint(
                condition=Q(period_months__gte=PERIOD_MIN, period_months__lte=PERIOD_MAX),
                name="log_period_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("log_detail", args=[self.pk])

    def clean(self) -> None:
        low, high = self.words_min, self.words_max
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"words_max": "The most words must be at least the fewest words."}
            )

    @property
    def ends_on(self) -> date:
        """The day after the last day of the period."""
        return add_months(self.started_on, self.period_months)

    def snapshot(self) -> dict:
        """The log as it is now, for a submission: its saved entries (never drafts)."""
        entries = self.entries.filter(draft=False).order_by("entry_date", "created_at")
        return {
            "title": self.title,
            "purpose": self.purpose,
            "started_on": self.started_on.isoformat(),
            "period_months": self.period_months,
            "words_min": self.words_min,
            "words_max": self.words_max,
            "sections": list(self.sections),
            "entries": [
                {
                    "id": entry.pk,
                    "title": entry.title,
                    "date": entry.entry_date.isoformat(),
                    "section": entry.section,
                    "body": entry.body,
                    "word_count": entry.word_count,
                    "media_seconds": entry.media_seconds,
                }
                for entry in entries
            ],
        }


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EntryQuerySet":
        """Entries of the logs ``user`` may see; a shared reader never sees the author's drafts."""
        if not user.is_authenticated:
            return self.none()
        logs = Log.objects.visible_to(user)
        return self.filter(log__in=logs).filter(Q(log__owner=user) | Q(draft=False))

    def owned_by(self, user) -> "EntryQuerySet":
        return self.visible_to(user).filter(log__owner=user)


def meetings_for_log(user):
    """The meetings an entry of ``user`` may link to: those of the sets they are in."""
    from revans.meetings.models import Meeting

    return Meeting.objects.with_content_for(user)


class Entry(models.Model):
    """One reflective entry in a log: Markdown text, or an audio or video diary."""

    log = models.ForeignKey(Log, on_delete=models.CASCADE, related_name="entries")
    title = models.CharField(max_length=200, blank=True)
    entry_date = models.DateField("date", default=today)
    body = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_LENGTH)])
    section = models.CharField(max_length=MAX_SECTION_LENGTH, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A meeting of one of your sets that this entry reflects on.",
    )
    tags = models.CharField(max_length=300, blank=True, help_text="Separated by commas.")
    prompt_set = models.SlugField(max_length=60, blank=True)
    draft = models.BooleanField(default=True)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    media_seconds = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Length of the entry's audio and video: a diary counts by duration, not words.",
    )
    # Made by the editor for a new entry, so a retried first autosave finds the draft it made.
    draft_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-entry_date", "-created_at"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["log", "draft_key"], name="one_entry_per_draft_key")
        ]
        indexes = [models.Index(fields=["log", "entry_date"])]

    def __str__(self) -> str:
        return self.title or "Untitled entry"

    def save(self, *args, **kwargs) -> None:
        self.word_count = count_words(self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "word_count"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("entry_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.section and self.section not in (self.log.sections or []):
            errors["section"] = "Choose one of the log's sections."
        if (
            self.meeting_id
            and not meetings_for_log(self.log.owner).filter(pk=self.meeting_id).exists()
        ):
            errors["meeting"] = "Choose a meeting of one of your sets."
        if errors:
            raise ValidationError(errors)

    @property
    def tag_list(self) -> list[str]:
        return split_tags(self.tags)

    def refresh_media_seconds(self) -> None:
        """Add up the entry's audio and video (after an upload or a deletion)."""
        total = self.attachments.filter(
            kind__in=[Attachment.Kind.AUDIO, Attachment.Kind.VIDEO]
        ).aggregate(total=models.Sum("duration_seconds"))["total"]
        self.media_seconds = total or 0
        self.save(update_fields=["media_seconds"])


def split_tags(tags: str) -> list[str]:
    """``"coaching, Confidence,coaching"`` → ``["coaching", "Confidence"]``: trimmed, no repeats."""
    seen: dict[str, str] = {}
    for tag in tags.split(","):
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return list(seen.values())


def attachment_path(attachment: "Attachment", filename: str) -> str:
    """A random name under journal/<log>/: never the uploader's file name, which may say too much."""
    suffix = EXTENSIONS.get(attachment.content_type) or PurePosixPath(filename).suffix.lower()
    if not suffix or len(suffix) > 6 or not suffix[1:].isalnum():
        suffix = ".bin"
    return f"journal/{attachment.entry.log_id}/{uuid.uuid4().hex}{suffix}"


EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/ogg": ".ogg",
    "audio/webm": ".weba",
    "audio/wav": ".wav",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "video/ogg": ".ogv",
    "video/quicktime": ".mov",
}


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AttachmentQuerySet":
        return self.filter(entry__in=Entry.objects.visible_to(user))


class Attachment(models.Model):
    """An image, sketch, audio or video file of an entry, stored under MEDIA_ROOT/journal/ and
    served only by the access-checked ``attachment_file`` view, never by a public URL."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        SKETCH = "sketch", "Sketch"
        AUDIO = "audio", "Audio"
        VIDEO = "video", "Video"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    content_type = models.CharField(
        max_length=100, help_text="Found from the content, not the name."
    )
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="Alternative text: what the image shows."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.entry}"

    def get_absolute_url(self) -> str:
        return reverse("attachment_file", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.kind in (self.Kind.IMAGE, self.Kind.SKETCH)

    @property
    def markdown(self) -> str:
        """What to put in an entry's text to show the image there."""
        return f"![{self.description}]({self.get_absolute_url()})"


class ShareRole(models.TextChoices):
    ASSESSOR = "assessor", "Assessor"
    SUPERVISOR = "supervisor", "Supervisor"


class ShareQuerySet(EmailLinkQuerySet):
    def active(self) -> "ShareQuerySet":
        """Accepted and not revoked: the reader may read and comment."""
        return self.filter(accepted_at__isnull=False, revoked_at__isnull=True, user__isnull=False)

    def visible_to(self, user) -> "ShareQuerySet":
        """The log's owner sees its shares; a reader sees their own."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(log__owner=user) | Q(user=user))


class Share(EmailLink):
    """A log shared with a named assessor or supervisor, by an e-mailed link (architecture.md §6:
    one flow for every e-mailed link); accepted by ``sharing.do_accept_share``, revocable at any
    time."""

    words = "journal/links/share.html"
    accept_url_name = "share_accept"
    accepter = "user"

    log = models.ForeignKey(Log, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="journal_shares",
        help_text="Who accepted the link.",
    )
    role = models.CharField(max_length=16, choices=ShareRole.choices, default=ShareRole.ASSESSOR)

    objects = ShareQuerySet.as_manager()

    class Meta(EmailLink.Meta):
        constraints = [
            # One open link per log and address: two "Share" clicks at once make one share.
            models.UniqueConstraint(
                Lower("email"),
                "log",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_share_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.log} shared with {self.email} ({self.get_role_display()})"

    def opens(self) -> Log:
        return self.log


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SubmissionQuerySet":
        return self.filter(log__in=Log.objects.visible_to(user))


class Submission(models.Model):
    """A version of a log frozen for assessment; the log's history keeps every one."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"
        SIGNED_OFF = "signed_off", "Signed off"

    log = models.ForeignKey(Log, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(default=dict, help_text="Log.snapshot() when it was submitted.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True, validators=[MaxLengthValidator(10_000)])

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["log", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["log", "number"], name="one_submission_number_per_log")
        ]

    def __str__(self) -> str:
        return f"{self.log}, submission {self.number}"


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CommentQuerySet":
        return self.filter(entry__in=Entry.objects.visible_to(user))


class Comment(models.Model):
    """An assessor's (or the author's reply) comment on an entry, optionally on a submission."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="comments")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(validators=[MaxLengthValidator(10_000)])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.entry}"


class CommentsSeen(models.Model):
    """When a person last looked at an entry's comments: the comments after it are new to them
    (their dashboard lists them). Written when they open the entry, or comment on it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "comments seen"
        constraints = [
            models.UniqueConstraint(fields=["user", "entry"], name="comments_seen_once_per_entry")
        ]

    def __str__(self) -> str:
        return f"{self.user} saw the comments on {self.entry} at {self.seen_at:%Y-%m-%d %H:%M}"


class ProgrammePromptSetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgrammePromptSetQuerySet":
        """Prompt sets of the programmes of ``user``'s sets, and of programmes they manage."""
        if not user.is_authenticated:
            return self.none()
        in_sets = Set.objects.filter(pk__in=sets_with_content_for(user)).values("programme_id")
        managed = Programme.objects.filter(managers=user).values("pk")
        return self.filter(Q(programme__in=in_sets) | Q(programme__in=managed))


class ProgrammePromptSet(models.Model):
    """Prompts a programme manager adds for the members of their programme's sets."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="prompt_sets"
    )
    name = models.CharField(max_length=120)
    prompts = models.TextField(
        help_text="One prompt per line.", validators=[MaxLengthValidator(5000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammePromptSetQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.programme})"

    @property
    def prompt_lines(self) -> list[str]:
        return [line.strip() for line in self.prompts.splitlines() if line.strip()]


@receiver(post_delete, sender=Attachment)
def _delete_attachment_file(sender, instance: Attachment, **kwargs) -> None:
    """A deleted attachment (with its entry, or its log) leaves no file behind, once committed."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
