from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse


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
        choices=ShippedFormat.choices,
        default=ShippedFormat.ONE_HOUR,
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
