"""A programme's cohort and its formation into sets: the people, the proposed sets and the
runs of the search. The tables keep the names they had in the programmes app."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from revans.grouping.cohort import company_size
from revans.programmes.models import Programme

STALLED_AFTER = timedelta(seconds=30)  # a run silent this long past its time has died
QUEUED_FOR_AT_MOST = timedelta(minutes=10)  # a run waiting this long for a worker has none


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

    class Mix(models.TextChoices):
        ALWAYS = "always", "Always mix organisations"
        IN_COMPANY = "in_company", "In-company sets when five or more come from one organisation"

    mix = models.CharField(
        "organisations in sets", max_length=16, choices=Mix.choices, default=Mix.ALWAYS
    )
    in_company_from = models.PositiveSmallIntegerField(
        "in-company sets from",
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text="People of one organisation (5 by default): an organisation with this many "
        "or more forms its own sets; everyone else is mixed.",
    )
    facilitator_same_organisation = models.BooleanField(
        "a facilitator may facilitate someone from their own organisation", default=False
    )
    prefer_internal = models.BooleanField(
        "prefer internal facilitators",
        default=False,
        help_text=(
            "Give sets to the pool's internal facilitators (those who say so on their profile: "
            "an organisation's own) before the external ones, while every set can still be "
            "given someone."
        ),
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

    class Meta:
        db_table = "programmes_cohort"

    def __str__(self) -> str:
        return f"Cohort of {self.programme}"

    @property
    def in_company(self) -> int | None:
        """The engine's in-company threshold: None when organisations are always mixed."""
        return self.in_company_from if self.mix == self.Mix.IN_COMPANY else None

    @property
    def in_company_sizes(self) -> tuple[int, int]:
        """The sizes of an in-company set: from the threshold when it is below the smallest
        set, up to the largest."""
        return company_size((self.size_min, self.size_max), self.in_company_from)

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
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation whose in-company set this is (empty: a mixed set).",
    )

    class Meta:
        db_table = "programmes_proposedset"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="one_proposed_set_per_name")
        ]

    def __str__(self) -> str:
        return f"Set {self.name}" if self.name.isdigit() else self.name


class Participant(models.Model):
    """One person of a cohort, as the cohort file gave them."""

    # Set on the instances a page reads, not stored: the people they are kept apart from
    # (engine.participants_of) and a one-line description (board.board_for).
    apart_emails: list[str]
    summary: str

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
        db_table = "programmes_participant"
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
        db_table = "programmes_formationrun"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.cohort}: {self.get_status_display()}"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def stalled(self) -> bool:
        """Whether an active run has been silent for so long that it must have died (a
        restarted server); runs.fail_stalled_runs marks such runs failed."""
        if not self.active:
            return False
        last = self.heartbeat_at or self.created_at
        limit = STALLED_AFTER + timedelta(seconds=self.seconds if self.heartbeat_at else 0)
        if self.status == self.Status.QUEUED:
            limit = QUEUED_FOR_AT_MOST  # waiting for a worker
        return timezone.now() - last > limit

    @property
    def percent(self) -> int:
        return round(100 * self.progress)
