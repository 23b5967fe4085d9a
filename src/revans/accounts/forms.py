import zoneinfo

from django import forms

from .models import Organisation, User


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

    class Meta:
        model = User
        fields = ["display_name", "organisation", "job_title", "time_zone", "reminders"]
        labels = {"display_name": "Your name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()
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
