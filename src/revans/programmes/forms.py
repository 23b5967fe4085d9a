from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email

from .models import Programme

User = get_user_model()


class ProgrammeForm(forms.ModelForm):
    manager_emails = forms.CharField(
        label="Other programme managers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="E-mail addresses of people already using Revans, separated by commas.",
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "sponsor",
            "description",
            "starts_on",
            "ends_on",
            "cadence_weeks",
            "meeting_format",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"sponsor": "Sponsor organisation"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            others = self.instance.managers.exclude(pk=user.pk).values_list("email", flat=True)
            self.fields["manager_emails"].initial = ", ".join(others)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the programme a name.")
        return name

    def clean_manager_emails(self) -> list:
        raw = self.cleaned_data["manager_emails"].replace(",", "\n").replace(";", "\n").split()
        emails = []
        for item in raw:
            email = item.strip().lower()
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(f"“{item[:80]}” is not an e-mail address.") from None
            emails.append(email)
        people = list(User.objects.filter(email__in=emails, is_active=True))
        unknown = sorted(set(emails) - {p.email for p in people})
        if unknown:
            raise forms.ValidationError(
                f"Nobody uses Revans with {', '.join(unknown)}: invite them to a set first."
            )
        return people

    def save(self, commit: bool = True) -> Programme:
        programme = super().save(commit=True)
        programme.managers.set([self.user, *self.cleaned_data["manager_emails"]])
        return programme
