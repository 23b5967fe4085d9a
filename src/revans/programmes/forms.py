from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.utils import timezone

from .models import RETENTION_REFUSED, Programme
from .presets import RETENTION_MONTHS_MAX, RETENTION_MONTHS_MIN, ProgrammeTemplate

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
            "kind",
            "sponsor",
            "description",
            "starts_on",
            "ends_on",
            "cadence_weeks",
            "meeting_format",
            "meeting_minutes",
            "set_size_min",
            "set_size_max",
            "facilitated_meetings",
            "retention_months",
            "contact",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "contact": forms.Textarea(attrs={"rows": 2}),
            "kind": forms.RadioSelect,
        }
        labels = {"sponsor": "Sponsor organisation", "kind": "Kind of programme"}

    # The settings page in parts, each with a sentence saying what its settings do.
    GROUPS = [
        ("The programme", "", ["name", "kind", "sponsor", "description", "starts_on", "ends_on"]),
        (
            "Sets",
            "How many members each set should have. Sets outside this range show a warning "
            "to their facilitator and to you; nobody is ever refused for it.",
            ["set_size_min", "set_size_max", "facilitated_meetings"],
        ),
        (
            "Meetings",
            "The rhythm and length of every set's meetings. When a set plans its schedule, "
            "Revans proposes dates at this rhythm from the programme's start to its end; the "
            "set can change them before saving.",
            ["cadence_weeks", "meeting_format", "meeting_minutes"],
        ),
        (
            "Keeping what was said",
            "What is said in a set stays in the set, and only for a time: some months after a "
            "set closes, Revans deletes what was said in its meetings. Everyone who sees the set's "
            "page sees the date there. A change applies to the sets already closed too: "
            "shortening it deletes, within a day, what was said in those closed longer ago.",
            ["retention_months"],
        ),
        (
            "Leaders",
            "Everyone in the programme's sets sees the managers' names and this line on their "
            "set's page.",
            ["contact", "manager_emails"],
        ),
    ]

    def __init__(self, *args, user, template: ProgrammeTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every wrong value (none, 0, a word, a huge number) gets the same plain sentence.
        retention = self.fields["retention_months"]
        retention.validators = [
            MinValueValidator(RETENTION_MONTHS_MIN),
            MaxValueValidator(RETENTION_MONTHS_MAX),
        ]
        retention.widget.attrs.update(min=RETENTION_MONTHS_MIN, max=RETENTION_MONTHS_MAX)
        retention.error_messages.update(
            {key: RETENTION_REFUSED for key in ("invalid", "min_value", "max_value")}
        )
        # Left out (older pages, scripts): the programme keeps what it had, a new one the default.
        retention.required = False
        self.user = user
        self.template = template
        if template is not None and not self.instance.pk:
            starts = _first_of_next_month()
            self.initial.update(
                starts_on=starts,
                ends_on=template.ends_on(starts),
                cadence_weeks=template.cadence_weeks,
                meeting_format=template.meeting_format,
                meeting_minutes=template.meeting_minutes,
                set_size_min=template.set_size_min,
                set_size_max=template.set_size_max,
                facilitated_meetings=template.facilitated_meetings,
                retention_months=template.retention_months,
            )
        if self.instance.pk:
            # A programme keeps its kind: a facilitators' programme's outcomes, days and
            # trainees have no place in a programme of sets, nor the other way round.
            self.fields["kind"].disabled = True
            others = self.instance.managers.exclude(pk=user.pk).values_list("email", flat=True)
            self.fields["manager_emails"].initial = ", ".join(others)
        # Forms posted without it (older pages, scripts) make a programme of sets, as before.
        self.fields["kind"].required = False

    def groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [
            (title, intro, [self[name] for name in names]) for title, intro, names in self.GROUPS
        ]

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data.get("kind") or Programme.Kind.SETS
        return kind

    def clean_retention_months(self) -> int:
        months: int | None = self.cleaned_data.get("retention_months")
        if months is None:
            return self.instance.retention_months
        return months

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
        if self.template is not None and not self.instance.pk:
            self.instance.template = self.template.key
        programme = super().save(commit=True)
        programme.managers.set([self.user, *self.cleaned_data["manager_emails"]])
        return programme


def _first_of_next_month() -> date:
    today = timezone.localdate()
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


class JoinRequestForm(forms.Form):
    note = forms.CharField(
        label="A short note for the facilitator (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you would like to join, in a sentence or two.",
        error_messages={"max_length": "Keep the note under 500 characters."},
    )

    def clean_note(self) -> str:
        note: str = self.cleaned_data["note"]
        return note.strip()
