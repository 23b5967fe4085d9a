"""The forms of a facilitators' programme: its days, people, outcomes, evidence and sign-offs."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone

from revans.accounts.models import User
from revans.core.forms import https_link_field
from revans.meetings import schedule
from revans.meetings.forms import DATE, TIME, WhenMixin
from revans.programmes.models import Programme

from .models import HOURS_MAX, HOURS_MIN, NOTE_LENGTH, DayAttendance, Participant, TrainingDay

YEAR = dt.timedelta(days=366)


class TrainingDayForm(WhenMixin, forms.ModelForm):
    """A training day: its date and time in the manager's own time zone."""

    date = forms.DateField(widget=DATE, error_messages={"required": "Give the day's date."})
    time = forms.TimeField(
        label="Starting at", widget=TIME, error_messages={"required": "Give its starting time."}
    )
    hours = forms.DecimalField(
        min_value=HOURS_MIN,
        max_value=HOURS_MAX,
        decimal_places=2,
        initial=Decimal("6"),
        help_text="From 0.25 (a quarter of an hour) to 24.",
        error_messages={
            "min_value": "A training day lasts at least a quarter of an hour (0.25).",
            "max_value": "A training day lasts at most 24 hours.",
            "max_decimal_places": "Give the hours to two decimal places at most (e.g. 6.5).",
            "invalid": "Give the hours as a number, e.g. 6 or 3.5.",
            "required": "Say how many hours the day lasts.",
        },
    )
    video_link = https_link_field()

    class Meta:
        model = TrainingDay
        fields = ["title", "hours", "place", "video_link"]
        error_messages = {"title": {"required": "Give the day a title."}}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.order_fields(["title", "date", "time", "hours", "place", "video_link"])
        if self.instance.pk:
            local = timezone.localtime(self.instance.starts_at)
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("time", local.time().replace(second=0, microsecond=0))

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the day a title.")
        return title

    def clean_date(self) -> dt.date:
        """A day of the programme's run, or of the year either side of it (an induction before,
        a recall day after)."""
        day: dt.date = self.cleaned_data["date"]
        starts, ends = self.programme.starts_on, self.programme.ends_on
        if not starts - YEAR <= day <= ends + YEAR:
            raise forms.ValidationError(
                f"Choose a date within a year of the programme's run "
                f"({starts:%d/%m/%Y} to {ends:%d/%m/%Y})."
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if "date" in cleaned and "time" in cleaned:
            try:
                cleaned["starts_at"] = self.start_from(cleaned["date"], cleaned["time"])
            except schedule.ScheduleError as error:
                self.add_error("time", str(error))
        return cleaned


class DayAttendanceForm(forms.Form):
    """Present / apologies / absent for each trainee of the programme, on one training day."""

    def __init__(self, *args, people: list[User], current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            self.fields[f"status-{person.pk}"] = forms.ChoiceField(
                label=person.display_name,
                choices=DayAttendance.Status.choices,
                widget=forms.RadioSelect,
                initial=current.get(person.pk),
                required=False,
            )

    def rows(self) -> list[tuple[User, forms.BoundField]]:
        return [(person, self[f"status-{person.pk}"]) for person in self.people]

    def statuses(self) -> dict[int, str]:
        return {
            person.pk: self.cleaned_data[f"status-{person.pk}"]
            for person in self.people
            if self.cleaned_data.get(f"status-{person.pk}")
        }


class ParticipantForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="The address they sign in to Revans with.",
        error_messages={
            "required": "Give the person's e-mail address.",
            "invalid": "That is not an e-mail address.",
        },
    )
    role = forms.ChoiceField(
        choices=Participant.Role.choices, initial=Participant.Role.TRAINEE, widget=forms.RadioSelect
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip()
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(
                f"Nobody uses Revans with {email}: they must have an account first. Ask them to "
                "sign up, then add them here."
            )
        return person


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Participant.Role.choices)


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label="The outcome",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What a trainee can do once they have met it, in a sentence.",
        error_messages={
            "required": "Write the outcome.",
            "max_length": "Keep the outcome under 500 characters.",
        },
    )

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError("Write the outcome.")
        return text


class EvidenceForm(forms.Form):
    """One of the trainee's own things for an outcome, chosen from a list of their own log
    entries, observations and sets (``choices``: ``kind:id`` values grouped by kind)."""

    evidence = forms.ChoiceField(
        label="Evidence",
        error_messages={
            "required": "Choose a log entry, an observation or a set.",
            "invalid_choice": (
                "Choose one of your own saved log entries, observations of your practice or "
                "sets you facilitate."
            ),
        },
    )
    note = forms.CharField(
        label="Why it shows the outcome (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Keep the note under 500 characters."},
    )

    def __init__(self, *args, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose…"), *choices]

    def chosen(self) -> tuple[str, int]:
        kind, _, pk = self.cleaned_data["evidence"].partition(":")
        return kind, int(pk)


class SignOffForm(forms.Form):
    note = forms.CharField(
        label="How the trainee met it",
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write a note saying how the trainee met the outcome.",
            "max_length": f"Keep the note under {NOTE_LENGTH} characters.",
        },
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError("Write a note saying how the trainee met the outcome.")
        return note
