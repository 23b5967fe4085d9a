"""The practice record's forms: an entry of practice (work elsewhere, supervision, CPD) and the
period the record covers."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.db.models import Sum
from django.utils import timezone

from revans.accounts.models import User

from .models import HOURS_MAX, HOURS_MIN, PracticeEntry
from .record import hours as shown_hours

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AHEAD = timedelta(days=366)


def _long(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


class PracticeEntryForm(forms.ModelForm):
    hours = forms.DecimalField(
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": "24"}),
        help_text="In hours: 1.5 for an hour and a half.",
        error_messages={"required": "Give the hours: more than none."},
    )

    class Meta:
        model = PracticeEntry
        fields = ["kind", "on", "hours", "title", "note"]
        labels = {"kind": "What it was", "note": "Note (optional)"}
        widgets = {"on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {"required": "Name the client, the supervisor or the event."},
            "on": {"required": "Give the date."},
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data.get("title", "").split())
        if not title:
            raise forms.ValidationError("Name the client, the supervisor or the event.")
        return title

    def clean_on(self) -> date:
        on = self.cleaned_data["on"]
        if on > timezone.localdate() + AHEAD:
            raise forms.ValidationError("That date is more than a year ahead: check the year.")
        return on

    def clean_hours(self) -> Decimal:
        value = self.cleaned_data["hours"]
        if value <= 0:
            raise forms.ValidationError("Give the hours: more than none.")
        if value < HOURS_MIN:
            raise forms.ValidationError("Record a quarter of an hour (0.25) at least.")
        if value > HOURS_MAX:
            raise forms.ValidationError("A day has 24 hours: record at most 24 on one date.")
        return value

    def clean(self):
        cleaned = super().clean()
        on, value = cleaned.get("on"), cleaned.get("hours")
        if on is not None and value is not None:
            others = PracticeEntry.objects.visible_to(self.user).filter(on=on)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            already = others.aggregate(total=Sum("hours"))["total"] or Decimal("0")
            if already + value > HOURS_MAX:
                self.add_error(
                    "hours",
                    f"A day has 24 hours: you have already recorded {shown_hours(already)} on "
                    f"{_long(on)}, so this entry can have {shown_hours(HOURS_MAX - already)} "
                    "at most.",
                )
        return cleaned


class PeriodForm(forms.Form):
    """From and to (either may be left open), in the query string: ``from`` and ``to``."""

    start = forms.DateField(label="From", required=False, widget=DATE)
    end = forms.DateField(label="To", required=False, widget=DATE)

    def __init__(self, query, **kwargs) -> None:
        super().__init__({"from": query.get("from", ""), "to": query.get("to", "")}, **kwargs)

    def add_prefix(self, field_name: str) -> str:
        # The query string says from and to, which people can read in the address.
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The period ends before it starts: check the dates.")
        return cleaned

    def period(self) -> tuple[date | None, date | None]:
        if not self.is_valid():
            return None, None
        return self.cleaned_data["start"], self.cleaned_data["end"]
