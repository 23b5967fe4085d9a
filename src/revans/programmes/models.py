from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from revans.sets.models import Role

from .presets import CHOICES as TEMPLATE_CHOICES
from .presets import RETENTION_MONTHS_MAX, RETENTION_MONTHS_MIN, STANDARD

RETENTION_REFUSED = (
    f"Keep what was said for {RETENTION_MONTHS_MIN} to {RETENTION_MONTHS_MAX} months "
    f"({RETENTION_MONTHS_MAX // 12} years)."
)


class ShippedFormat(models.TextChoices):
    """The meeting formats Revans ships (architecture.md §3)."""

    ONE_HOUR = "one_hour", "One hour, one presenter"
    HALF_DAY = "half_day", "Half day, up to four presenters"
    ONLINE_90 = "online_90", "Online 90 minutes, two presenters"


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgrammeQuerySet":
        """Programmes a person manages: only managers see a programme's page."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(managers=user)

    def open_to(self, user) -> "ProgrammeQuerySet":
        """Programmes whose open sets ``user`` may see and ask to join: those they manage or
        are in a set of, and those their organisation takes part in (as the sponsor, or with
        members in its sets; a facilitator's employer supplies a programme, it does not take
        part). Never the whole of Revans: a programme's sets belong to its organisations."""
        if not user.is_authenticated:
            return self.none()
        taking_part = Q(managers=user) | Q(sets__memberships__user=user)
        if user.organisation_id is not None:
            taking_part |= Q(sponsor_id=user.organisation_id) | Q(
                sets__memberships__role=Role.MEMBER,
                sets__memberships__user__organisation_id=user.organisation_id,
            )
        return self.filter(taking_part).distinct()


class Programme(models.Model):
    class Kind(models.TextChoices):
        SETS = "sets", "Action learning sets"
        DEVELOPMENT = "development", "Facilitator development"

    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=16,
        choices=Kind.choices,
        default=Kind.SETS,
        help_text=(
            "A facilitators' programme has training days, trainees, trainers and learning "
            "outcomes as well as its (practice) sets."
        ),
    )
    sponsor = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="programmes"
    )
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="managed_programmes")
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    cadence_weeks = models.PositiveSmallIntegerField(
        "meet every (weeks)",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=(
            "How many weeks apart a set's meetings are. Each set's schedule is proposed at this "
            "rhythm from the programme's start to its end."
        ),
    )
    meeting_format = models.CharField(
        "meeting format",
        max_length=16,
        choices=ShippedFormat.choices,
        default=ShippedFormat.ONE_HOUR,
        help_text="The stages each meeting goes through, and how many members present.",
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        "meeting length (minutes)",
        default=STANDARD.meeting_minutes,
        validators=[MinValueValidator(15), MaxValueValidator(8 * 60)],
        help_text="How long each meeting lasts: 60 for an hour, 240 for half a day.",
    )
    set_size_min = models.PositiveSmallIntegerField(
        "smallest set",
        default=STANDARD.set_size_min,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text="A set with fewer members shows a warning (never a refusal).",
    )
    set_size_max = models.PositiveSmallIntegerField(
        "largest set",
        default=STANDARD.set_size_max,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text="A set with more members shows a warning; a full set takes no one new.",
    )
    facilitated_meetings = models.PositiveSmallIntegerField(
        "facilitated meetings per set",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=(
            "How many of each set's meetings a facilitator runs; the set runs the others "
            "itself. Leave it empty when a facilitator runs every meeting."
        ),
    )
    template = models.CharField(
        "started from",
        max_length=32,
        choices=TEMPLATE_CHOICES,
        default=STANDARD.key,
        help_text="The template whose settings the programme started with.",
    )
    retention_months = models.PositiveSmallIntegerField(
        "keep what was said for (months)",
        default=STANDARD.retention_months,
        validators=[
            MinValueValidator(RETENTION_MONTHS_MIN, RETENTION_REFUSED),
            MaxValueValidator(RETENTION_MONTHS_MAX, RETENTION_REFUSED),
        ],
        help_text=(
            "How long after a set closes what was said in its meetings is kept: the room's "
            "record, the questions' words, canvases and process review notes. Then it is "
            "deleted; the summaries' counts and everyone's own learning logs stay."
        ),
    )
    contact = models.CharField(
        "how to reach the programme's leaders",
        max_length=300,
        blank=True,
        help_text=(
            "Shown on every set's page with the managers' names, e.g. "
            "“Questions about the programme: e-mail learning@your-council.example or call "
            "0151 000 0000.”"
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The programme must end on or after its start date."})
        if (
            self.set_size_min is not None
            and self.set_size_max is not None
            and self.set_size_min > self.set_size_max
        ):
            raise ValidationError(
                {"set_size_max": "The largest set cannot be smaller than the smallest."}
            )


class OpenSet(models.Model):
    """A set of the programme open to people asking to join it (``services.do_open_set``)."""

    set = models.OneToOneField("sets.Set", on_delete=models.CASCADE, related_name="opening")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.set} is open to join"


class JoinRequest(models.Model):
    """A person's request to join an open set, with a short note; its facilitator or the
    programme's managers accept it (the membership is made by ``sets.services``) or decline it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    set = models.ForeignKey("sets.Set", on_delete=models.CASCADE, related_name="join_requests")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["set", "person"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} asks to join {self.set}"
