import zoneinfo

from django import forms
from django.utils import timezone

from .models import FacilitatorBasis, FacilitatorTraining, Organisation, User


class SignupDetailsForm(forms.Form):
    """The extra fields allauth's sign-up form asks for."""

    display_name = forms.CharField(
        max_length=120, label="Your name", help_text="As the people in your set will see it."
    )

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])


TIME_ZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]


class ProfileForm(forms.ModelForm):
    line_manager_email = forms.EmailField(
        label="Line manager's e-mail",
        required=False,
        help_text="Optional. Used so that a manager and their report are never put in one set.",
    )
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES)
    # The facilitator's fields last, after everyone's.
    field_order = [
        "display_name",
        "organisation",
        "job_title",
        "time_zone",
        "reminders",
        "line_manager_email",
    ]

    class Meta:
        model = User
        fields = [
            "display_name",
            "organisation",
            "job_title",
            "time_zone",
            "reminders",
            # As a facilitator: shown on the practice record (development/record.py).
            "facilitator_training",
            "qualification",
            "qualified_on",
            "facilitator_basis",
        ]
        labels = {"display_name": "Your name", "facilitator_training": "As a facilitator"}
        widgets = {
            "qualified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()
        self.fields["facilitator_training"].choices = [
            ("", "Not trained as a facilitator"),
            *FacilitatorTraining.choices,
        ]
        self.fields["facilitator_basis"].choices = [("", "Not said"), *FacilitatorBasis.choices]
        if self.instance.line_manager_id:
            self.fields["line_manager_email"].initial = self.instance.line_manager.email

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError("Please give your name.")
        return name

    def clean_line_manager_email(self) -> User | None:
        email = self.cleaned_data.get("line_manager_email", "").strip().lower()
        if not email:
            return None
        manager = User.objects.filter(email__iexact=email, is_active=True).first()
        if manager is None:
            raise forms.ValidationError("Nobody with that e-mail address uses Revans yet.")
        if manager.pk == self.instance.pk:
            raise forms.ValidationError("You cannot be your own line manager.")
        return manager

    def clean_qualification(self) -> str:
        return " ".join(self.cleaned_data.get("qualification", "").split())

    def clean_qualified_on(self):
        on = self.cleaned_data.get("qualified_on")
        if on is not None and on > timezone.localdate():
            raise forms.ValidationError("The date you qualified cannot be in the future.")
        return on

    def clean(self):
        cleaned = super().clean()
        qualified = cleaned.get("facilitator_training") == FacilitatorTraining.QUALIFIED
        if qualified and not cleaned.get("qualification"):
            self.add_error("qualification", "Name the qualification you hold.")
        if not qualified and cleaned.get("qualified_on") and "qualified_on" not in self.errors:
            self.add_error(
                "qualified_on",
                "A date of qualifying goes with “Qualified”: choose it above, or leave the date empty.",
            )
        return cleaned

    def save(self, commit: bool = True) -> User:
        self.instance.line_manager = self.cleaned_data.get("line_manager_email")
        return super().save(commit)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("An organisation with this name already exists.")
        return name
