"""The formation's forms: the cohort file, the settings and weights, pairs, the facilitator pool."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from revans.accounts.models import User

from .engine import participants_of, roster_of, weights_of
from .imports import MAX_FILE_BYTES
from .models import Cohort, Participant


class CohortUploadForm(forms.Form):
    file = forms.FileField(
        label="Cohort file",
        help_text="CSV (UTF-8) or Excel .xlsx, at most 2 MB. Row 1 names the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,text/csv"}),
    )
    similar_are_new = forms.BooleanField(
        label="These are different organisations",
        required=False,
        help_text="Tick when an organisation flagged as close to one already in Revans is "
        "another organisation: it is then added as new.",
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} kB; at most 2 MB can be imported."
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".xlsm", ".txt", ".tsv")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


WEIGHT_FIELDS = {
    "organisation": "Different organisations",
    "sector": "Different sectors",
    "role_level": "Different role levels",
    "location": "Different locations",
}


NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def in_words(n: int) -> str:
    """A small number in words (2–10), a larger one in figures."""
    return NUMBER_WORDS[n - 2] if 2 <= n <= 10 else str(n)


class CohortSettingsForm(forms.ModelForm):
    """Set sizes, in-company or mixed sets, the organisation cap, the diversity weights and
    the search time."""

    class Meta:
        model = Cohort
        fields = [
            "size_min",
            "size_max",
            "set_count",
            "mix",
            "in_company_from",
            "max_per_organisation",
            "seconds",
            "sets_per_facilitator",
            "facilitator_same_organisation",
            "prefer_internal",
        ]
        widgets = {"mix": forms.RadioSelect}
        help_texts = {
            "size_min": "6 by default: sets work best with 6 to 8 members.",
            "size_max": "8 by default.",
            "in_company_from": "People of one organisation (5 by default): an organisation "
            "with this many or more forms its own sets, and an in-company set may be as small "
            "as this, below the smallest set (five people of one organisation make a set of "
            "five). Everyone else is mixed in sets of the sizes above.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        threshold = self.instance.in_company_from
        mix = self.fields["mix"]
        assert isinstance(mix, forms.ChoiceField)  # a field with choices
        mix.choices = [
            (Cohort.Mix.ALWAYS, Cohort.Mix.ALWAYS.label),
            (
                Cohort.Mix.IN_COMPANY,
                f"In-company sets when {in_words(threshold)} or more come from one "
                "organisation, the others mixed",
            ),
        ]
        self.fields["in_company_from"].widget.attrs.update(min=2, max=50)
        # A form sent without the option (an older page) keeps the cohort's as it is.
        self.fields["mix"].required = self.fields["in_company_from"].required = False
        weights = weights_of(self.instance)
        extra = sorted({k for p in self.instance.participants.all()[:1] for k in p.extra})
        self.weight_names = {**WEIGHT_FIELDS, **{k: f"Different “{k}”" for k in extra}}
        for name, label in self.weight_names.items():
            self.fields[f"weight_{name}"] = forms.DecimalField(
                label=label,
                min_value=0,
                max_value=10,
                decimal_places=2,
                initial=weights.get(name, 0),
                help_text="0 ignores it; higher counts more.",
            )

    def clean_mix(self) -> str:
        return str(self.cleaned_data.get("mix") or self.instance.mix)

    def clean_in_company_from(self) -> int:
        value = self.cleaned_data.get("in_company_from")
        return int(value if value is not None else self.instance.in_company_from)

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{name}"] for name in self.weight_names]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Django's clean returns
        low, high = cleaned.get("size_min"), cleaned.get("size_max")
        if low and high and high < low:
            self.add_error("size_max", "The largest set cannot be smaller than the smallest.")
        threshold = cleaned.get("in_company_from")
        if (
            cleaned.get("mix") == Cohort.Mix.IN_COMPANY
            and low
            and high
            and threshold
            and not self.errors
        ):
            self._check_in_company(threshold, (low, high), cleaned.get("set_count"))
        return cleaned

    def _check_in_company(self, threshold: int, size: tuple[int, int], sets: int | None) -> None:
        """Refuse in-company sets that this cohort's people cannot form at these sizes."""
        participants = participants_of(self.instance)
        if not participants:
            return
        problems = roster_of(self.instance, participants).in_company_problems(threshold, size, sets)
        for problem in problems:
            self.add_error(None, f"In-company sets cannot be formed: {problem}.")

    def save(self, commit: bool = True) -> Cohort:
        self.instance.weights = {
            name: float(self.cleaned_data[f"weight_{name}"]) for name in self.weight_names
        }
        return super().save(commit)


class PairForm(forms.Form):
    """Two people of the cohort who must never share a set."""

    KINDS = [("apart", "Keep apart"), ("manager", "Manager and report")]

    kind = forms.ChoiceField(choices=KINDS, initial="apart")
    first = forms.EmailField(
        label="Person",
        help_text="For a manager pair: the manager.",
        widget=forms.EmailInput(attrs={"list": "cohort-emails", "autocomplete": "off"}),
    )
    second = forms.EmailField(
        label="and",
        help_text="For a manager pair: their report.",
        widget=forms.EmailInput(attrs={"list": "cohort-emails", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort

    def _participant(self, field: str) -> Participant:
        email = self.cleaned_data[field].casefold()
        person = self.cohort.participants.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(f"{email} is not in this cohort.")
        return person

    def clean_first(self) -> Participant:
        return self._participant("first")

    def clean_second(self) -> Participant:
        return self._participant("second")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Django's clean returns
        first, second = cleaned.get("first"), cleaned.get("second")
        if first and second and first == second:
            raise forms.ValidationError("Choose two different people.")
        return cleaned


class FacilitatorPoolForm(forms.Form):
    email = forms.EmailField(label="Add a facilitator", help_text="Someone already using Revans.")

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                f"Nobody uses Revans with {email} yet. Invite them to a set first."
            )
        return user
