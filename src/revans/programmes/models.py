from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone


class MeetingFormat(models.TextChoices):
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


class Programme(models.Model):
    name = models.CharField(max_length=200)
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
        help_text="New sets in this programme start from this cadence.",
    )
    meeting_format = models.CharField(
        "meeting format",
        max_length=16,
        choices=MeetingFormat.choices,
        default=MeetingFormat.ONE_HOUR,
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


class Cohort(models.Model):
    """The people of a programme awaiting formation into sets, with the settings and rules of
    the formation. Only the programme's managers see it."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="cohort")
    file_name = models.CharField(max_length=200)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    size_min = models.PositiveSmallIntegerField(
        "smallest set", default=6, validators=[MinValueValidator(2), MaxValueValidator(20)]
    )
    size_max = models.PositiveSmallIntegerField(
        "largest set", default=8, validators=[MinValueValidator(2), MaxValueValidator(20)]
    )
    set_count = models.PositiveSmallIntegerField(
        "number of sets",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text="Leave empty to let Revans choose from the size range.",
    )
    max_per_organisation = models.PositiveSmallIntegerField(
        "at most from one organisation in a set",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Leave empty for 2, or more when the largest organisation needs it.",
    )
    weights = models.JSONField(default=dict, blank=True)
    seconds = models.PositiveSmallIntegerField(
        "search for (seconds)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Longer searches find more diverse sets; every rule holds from the first second.",
    )
    facilitator_same_organisation = models.BooleanField(
        "a facilitator may facilitate someone from their own organisation", default=False
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", help_text="The facilitator pool."
    )
    sets_per_facilitator = models.PositiveSmallIntegerField(
        "sets per facilitator, at most",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Cohort of {self.programme}"

    def clean(self) -> None:
        if self.size_min and self.size_max and self.size_max < self.size_min:
            raise ValidationError(
                {"size_max": "The largest set cannot be smaller than the smallest."}
            )


class ProposedSet(models.Model):
    """A set as the formation proposes it, before it is accepted and becomes a real Set."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="proposed_sets")
    name = models.CharField(max_length=60)
    position = models.PositiveIntegerField(default=0)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="one_proposed_set_per_name")
        ]

    def __str__(self) -> str:
        return f"Set {self.name}" if self.name.isdigit() else self.name


class Participant(models.Model):
    """One person of a cohort, as the cohort file gave them."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    row = models.PositiveIntegerField(help_text="The row of the cohort file.")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    sector = models.CharField(max_length=100, blank=True)
    role_level = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=100, blank=True)
    availability = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    keep_apart = models.ManyToManyField("self", blank=True)
    proposed_set = models.ForeignKey(
        ProposedSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="participants"
    )
    locked = models.BooleanField(
        default=False, help_text="Kept in their proposed set when the formation is run again."
    )

    class Meta:
        ordering = ["row"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="one_participant_per_email")
        ]

    def __str__(self) -> str:
        return self.name or self.email


class FormationRun(models.Model):
    """One run of the search that forms a cohort's sets; it runs in the background, reports
    its progress here, and can be cancelled or stopped early."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        STOPPING = "stopping", "Stopping"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Could not form sets"

    ACTIVE = (Status.QUEUED, Status.RUNNING, Status.STOPPING)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    seconds = models.PositiveSmallIntegerField()
    seed = models.PositiveIntegerField(default=1)
    progress = models.FloatField(default=0.0)
    best = models.FloatField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.cohort}: {self.get_status_display()}"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        return round(100 * self.progress)
