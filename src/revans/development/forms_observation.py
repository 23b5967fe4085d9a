"""Forms of observed practice: arranging an observation on the meeting page, and the observer's
structured feedback."""

from typing import Any

from django import forms

from revans.accounts.models import User
from revans.meetings.models import Meeting
from revans.sets.models import Membership, Role

from .models import NOTE_LENGTH, Observation
from .observation import SECTIONS

NOT_IN_SET = "Choose someone in this set: {what} must be in the set to take part."


class ArrangeForm(forms.Form):
    """Who chairs (the trainee) and who observes, both people in the meeting's set."""

    trainee = forms.ChoiceField(
        label="Trainee (takes the chair)",
        error_messages={
            "required": "Choose the trainee who will take the chair.",
            "invalid_choice": NOT_IN_SET.format(what="the trainee"),
        },
    )
    observer = forms.ChoiceField(
        label="Observer",
        error_messages={
            "required": "Choose who will observe.",
            "invalid_choice": NOT_IN_SET.format(what="the observer"),
        },
    )

    def __init__(
        self, *args: Any, meeting: Meeting, memberships: list[Membership], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.people = {str(m.user_id): m for m in memberships}
        blank = [("", "Choose…")]
        trainee, observer = self.fields["trainee"], self.fields["observer"]
        assert isinstance(trainee, forms.ChoiceField) and isinstance(observer, forms.ChoiceField)
        trainee.choices = blank + [
            (key, m.user.display_name) for key, m in self.people.items() if m.role != Role.OBSERVER
        ]
        observer.choices = blank + [
            (key, f"{m.user.display_name} ({m.get_role_display().lower()})")
            for key, m in self.people.items()
        ]

    def clean_trainee(self) -> str:
        key: str = self.cleaned_data["trainee"]
        if self.people[key].role == Role.OBSERVER:  # not offered; a crafted post
            raise forms.ValidationError(
                "An observer of the set cannot take the chair: choose a member or facilitator."
            )
        return key

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        trainee, observer = cleaned.get("trainee"), cleaned.get("observer")
        if trainee and observer:
            if trainee == observer:
                raise forms.ValidationError(
                    "The trainee and the observer must be two different people."
                )
            taken = Observation.objects.filter(meeting=self.meeting, observer_id=observer)
            if taken.exists():
                name = self.people[observer].user.display_name
                raise forms.ValidationError(
                    f"{name} already observes meeting {self.meeting.number}."
                )
        return cleaned

    @property
    def trainee_user(self) -> User:
        return self.people[self.cleaned_data["trainee"]].user

    @property
    def observer_user(self) -> User:
        return self.people[self.cleaned_data["observer"]].user


def _part(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"Keep each part under {NOTE_LENGTH:,} characters."},
    )


class FeedbackForm(forms.Form):
    """The observer's feedback in four parts; at least one written."""

    went_well = _part(SECTIONS[0][1], "What the trainee did that helped the set work.")
    opening_questions = _part(
        SECTIONS[1][1], "Questions (the trainee's or the set's) that opened an issue up."
    )
    interventions = _part(
        SECTIONS[2][1], "When the trainee stepped in, how, and what it did for the set."
    )
    try_next = _part(SECTIONS[3][1], "One or two things to try next time in the chair.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(cleaned.get(name) for name, _ in SECTIONS):
            raise forms.ValidationError(
                "Write at least one part of the feedback: the trainee reads what you write here."
            )
        return cleaned

    def feedback(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name, _ in SECTIONS}
