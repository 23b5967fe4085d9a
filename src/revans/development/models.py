"""Facilitator development (architecture.md §4, §6): a facilitators' programme (a ``Programme`` of
kind "facilitator development") with its training days, trainees and trainers, and learning
outcomes; the evidence a trainee attaches to an outcome and a trainer's sign-off; observed
practice with structured feedback; and what a facilitator records of their practice outside
Revans (work elsewhere, supervision, CPD), which the practice record adds to what Revans counts
from its own meetings (``record.py``).

Who sees what: a programme's days, outcomes and people are seen by its managers, trainers and
trainees. Evidence is seen by the trainee who attached it and the programme's trainers, never
its managers: a log entry attached as evidence is read by the trainers through the evidence
alone, nothing else of the log. Sign-offs are seen by the trainee, the trainers and the managers.
An observation's feedback is seen by the trainee and the observer. Practice entries are their
author's alone.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from revans.programmes.models import Programme

# Hours in one record: a quarter of an hour at least, never more than a day.
HOURS_MIN, HOURS_MAX = Decimal("0.25"), Decimal("24")
HOURS = [MinValueValidator(HOURS_MIN), MaxValueValidator(HOURS_MAX)]
NOTE_LENGTH = 2000


def development_programmes_of(user) -> models.QuerySet[Programme]:
    """The facilitators' programmes ``user`` manages, trains or trains in."""
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(kind=Programme.Kind.DEVELOPMENT).filter(
        Q(managers=user) | Q(participants__user=user)
    )


def trained_by(user) -> models.QuerySet[Programme]:
    """The facilitators' programmes in which ``user`` is a trainer."""
    return Programme.objects.filter(
        kind=Programme.Kind.DEVELOPMENT,
        participants__user=user,
        participants__role=Participant.Role.TRAINER,
    )


class ProgrammePartQuerySet(models.QuerySet):
    """Days, outcomes and participants: seen by the programme's managers, trainers, trainees."""

    def visible_to(self, user) -> "ProgrammePartQuerySet":
        return self.filter(programme__in=development_programmes_of(user).values("pk"))


class Participant(models.Model):
    """A trainee or trainer of a facilitators' programme."""

    class Role(models.TextChoices):
        TRAINEE = "trainee", "Trainee"
        TRAINER = "trainer", "Trainer"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="development_places"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.TRAINEE)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammePartQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_place_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.programme})"


class TrainingDay(models.Model):
    """A day (or part of one) of the programme: when, where or the link, and who came."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="training_days")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    hours = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("6"), validators=HOURS
    )
    place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField("video link", blank=True)

    objects = ProgrammePartQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class DayAttendanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DayAttendanceQuerySet":
        return self.filter(day__programme__in=development_programmes_of(user).values("pk"))


class DayAttendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    day = models.ForeignKey(TrainingDay, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices)
    recorded_at = models.DateTimeField(auto_now=True)

    objects = DayAttendanceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "user"], name="one_record_per_training_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.day}: {self.get_status_display()}"


class Outcome(models.Model):
    """A learning outcome of a facilitators' programme; the shipped ones are data
    (``data/outcomes.json``), and managers may write their own."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)

    objects = ProgrammePartQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_outcome_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class ObservationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ObservationQuerySet":
        """The trainee observed and the observer see an observation and its feedback."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(trainee=user) | Q(observer=user))


class Observation(models.Model):
    """Observed practice: ``trainee`` chairs ``meeting`` while ``observer`` (a trainer or the
    set's facilitator, in the set) watches through the room and then writes feedback."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="observations"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observed_practice"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observations_made"
    )
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    arranged_at = models.DateTimeField(auto_now_add=True)
    went_well = models.TextField(
        "what went well", blank=True, validators=[MaxLengthValidator(NOTE_LENGTH)]
    )
    opening_questions = models.TextField(
        "questions that opened things up",
        blank=True,
        validators=[MaxLengthValidator(NOTE_LENGTH)],
    )
    interventions = models.TextField(
        "interventions", blank=True, validators=[MaxLengthValidator(NOTE_LENGTH)]
    )
    try_next = models.TextField(
        "what to try next", blank=True, validators=[MaxLengthValidator(NOTE_LENGTH)]
    )
    written_at = models.DateTimeField(null=True, blank=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-arranged_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "observer"], name="one_observation_each"),
            models.CheckConstraint(
                condition=~Q(trainee=models.F("observer")), name="observer_is_not_the_trainee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.observer} observes {self.trainee} in {self.meeting}"

    @property
    def written(self) -> bool:
        return self.written_at is not None


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EvidenceQuerySet":
        """Evidence is seen by the trainee who attached it and the programme's trainers."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(trainee=user) | Q(outcome__programme__in=trained_by(user).values("pk"))
        )


class Evidence(models.Model):
    """Something a trainee shows for an outcome: one of their own log entries (not a draft),
    an observation of their practice, or a set they facilitate."""

    class Kind(models.TextChoices):
        ENTRY = "entry", "Log entry"
        OBSERVATION = "observation", "Observed practice"
        SET = "set", "Set facilitated"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="evidence")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    entry = models.ForeignKey(
        "journal.Entry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    observation = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    set = models.ForeignKey(
        "sets.Set", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(
        max_length=500, blank=True, help_text="Why this shows the outcome, in a sentence or two."
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="evidence_is_one_thing_of_its_kind",
                condition=(
                    Q(kind="entry", entry__isnull=False, observation__isnull=True, set__isnull=True)
                    | Q(
                        kind="observation",
                        entry__isnull=True,
                        observation__isnull=False,
                        set__isnull=True,
                    )
                    | Q(kind="set", entry__isnull=True, observation__isnull=True, set__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["outcome", "trainee", "entry"], name="an_entry_once_per_outcome"
            ),
            models.UniqueConstraint(
                fields=["outcome", "trainee", "observation"],
                name="an_observation_once_per_outcome",
            ),
            models.UniqueConstraint(
                fields=["outcome", "trainee", "set"], name="a_set_once_per_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for outcome {self.outcome.number}"


class SignOffQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SignOffQuerySet":
        """The trainee, the programme's trainers and its managers see who has met an outcome."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(trainee=user)
            | Q(outcome__programme__in=trained_by(user).values("pk"))
            | Q(outcome__programme__managers=user)
        )


class SignOff(models.Model):
    """A trainer's word that ``trainee`` has met ``outcome``, with a note; once per outcome."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="sign_offs")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(validators=[MaxLengthValidator(NOTE_LENGTH)])
    signed_at = models.DateTimeField(auto_now_add=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["outcome__number"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "trainee"], name="one_sign_off_per_outcome")
        ]

    def __str__(self) -> str:
        return f"Outcome {self.outcome.number} signed off for {self.trainee}"


class PracticeEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PracticeEntryQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class PracticeEntry(models.Model):
    """Practice a facilitator records beyond what Revans counts: facilitation elsewhere (a
    client), supervision (a supervisor) or CPD (an event, e.g. a qualification's programme day)."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", "Facilitation elsewhere"
        SUPERVISION = "supervision", "Supervision"
        CPD = "cpd", "CPD"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_entries"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PRACTICE)
    on = models.DateField("date")
    hours = models.DecimalField(max_digits=4, decimal_places=2, validators=HOURS)
    title = models.CharField(
        "client, supervisor or event",
        max_length=200,
        help_text="The client you facilitated for, your supervisor, or the event.",
    )
    note = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_LENGTH)])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name_plural = "practice entries"
        constraints = [
            models.CheckConstraint(
                name="practice_hours_within_a_day",
                condition=Q(hours__gte=HOURS_MIN, hours__lte=HOURS_MAX),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.on})"
