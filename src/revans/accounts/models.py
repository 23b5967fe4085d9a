import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Organisation(models.Model):
    class Sector(models.TextChoices):
        LOCAL_GOVERNMENT = "local_government", "Local government"
        HEALTH = "health", "Health (NHS)"
        HOUSING = "housing", "Housing"
        CHARITY = "charity", "Charity and voluntary"
        EDUCATION = "education", "Education"
        CENTRAL_GOVERNMENT = "central_government", "Central government"
        PRIVATE = "private", "Private sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=32, choices=Sector.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone, e.g. Europe/London.")


def new_calendar_token() -> str:
    """The secret in a person's calendar feed address."""
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A person needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        """The operator (``revans createsuperuser``) signs in to the admin through Revans'
        own sign-in, which asks a new address to be verified: one made at the command line is
        taken as verified."""
        from allauth.account.models import EmailAddress

        fields.update(is_staff=True, is_superuser=True)
        user = self.create_user(email, password, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user


class FacilitatorTraining(models.TextChoices):
    TRAINED = "trained", "Trained"
    QUALIFIED = "qualified", "Qualified"


class FacilitatorBasis(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External"


class User(AbstractBaseUser, PermissionsMixin):
    """A person: signs in with their e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=120)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    job_title = models.CharField(max_length=120, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    reminders = models.BooleanField(
        "e-mail me reminders before meetings",
        default=True,
        help_text="A few days before each meeting and on the morning.",
    )
    facilitator_training = models.CharField(
        "as a facilitator",
        max_length=16,
        choices=FacilitatorTraining.choices,
        blank=True,
        help_text="Trained on a facilitators' programme, or qualified.",
    )
    qualification = models.CharField(
        max_length=200, blank=True, help_text="e.g. ILM Level 5 Certificate in Action Learning"
    )
    qualified_on = models.DateField("qualified on", null=True, blank=True)
    facilitator_basis = models.CharField(
        "internal or external",
        max_length=16,
        choices=FacilitatorBasis.choices,
        blank=True,
        help_text="Internal: facilitates in their own organisation's programmes.",
    )
    calendar_token = models.CharField(max_length=64, default=new_calendar_token, unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.line_manager_id and self.line_manager_id == self.pk:
            raise ValidationError({"line_manager": "A person cannot be their own line manager."})

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0] if self.display_name else self.email
