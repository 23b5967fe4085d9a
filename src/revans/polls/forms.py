from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from revans.core.forms import model_choice
from revans.meetings import schedule
from revans.meetings.models import Meeting, MeetingFormat
from revans.sets.models import Set

from . import slots
from .models import MAX_SLOTS, Poll, Slot

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
FIRST_ROWS = 3


class PollForm(forms.ModelForm):
    class Meta:
        model = Poll
        fields = ["title", "note", "duration_minutes", "format"]
        labels = {"title": "What for", "duration_minutes": "Length (minutes)"}
        help_texts = {"note": "Optional: anything the set should know when answering."}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, set_: Set, **kwargs):
        super().__init__(*args, **kwargs)
        field = model_choice(self, "format")
        field.queryset = MeetingFormat.objects.for_set(set_)
        field.empty_label = None


def poll_initial(set_: Set) -> dict:
    """A new poll starts from the set's last meeting (its format and length), or its
    programme's, or an hour."""
    last = set_.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("-starts_at").first()
    if last is not None:
        return {"format": last.format_id, "duration_minutes": last.duration_minutes}
    programme = set_.programme
    slug = programme.meeting_format if programme is not None else "one_hour"
    meeting_format = MeetingFormat.objects.shipped().filter(slug=slug).first()
    initial: dict = {"duration_minutes": 60}
    if meeting_format is not None:
        initial.update(format=meeting_format.pk, duration_minutes=meeting_format.total_minutes)
    if programme is not None:
        initial["duration_minutes"] = programme.meeting_minutes
    return initial


class SlotForm(forms.Form):
    """One proposed time: a date and a wall-clock time in the proposer's own time zone."""

    date = forms.DateField(widget=DATE, required=False)
    time = forms.TimeField(widget=TIME, required=False)

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("date"), cleaned.get("time")
        if self.errors:
            return cleaned
        if day is None and at is None:
            return cleaned  # an empty row: left out
        if day is None:
            self.add_error("date", "Give the date for this time.")
            return cleaned
        if at is None:
            self.add_error("time", "Give the time of day.")
            return cleaned
        try:
            start = schedule.localise(datetime.combine(day, at), timezone.get_current_timezone())
            start + timedelta(days=1)  # its end, seen from any zone, must still be a date
        except schedule.ScheduleError as error:
            self.add_error("time", str(error))
            return cleaned
        except OverflowError:
            self.add_error("date", "That date is past the end of the calendar.")
            return cleaned
        if start <= timezone.now():
            self.add_error("date", "This time has passed: choose one in the future.")
        cleaned["starts_at"] = start
        return cleaned


class BaseSlotFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": f"Propose at most {MAX_SLOTS} times.",
    }
    starts: list[datetime]

    def clean(self) -> None:
        if any(self.errors):
            return
        starts: list[datetime] = []
        for form in self.forms:
            start = form.cleaned_data.get("starts_at")
            if start is None:
                continue
            if start in starts:
                form.add_error("time", "This time is already proposed above.")
            starts.append(start)
        if not starts:
            raise forms.ValidationError("Propose at least one time.")
        found = slots.problems(starts, timezone.now())
        if found:
            raise forms.ValidationError(found)
        self.starts = starts


SlotFormSet = forms.formset_factory(
    SlotForm,
    formset=BaseSlotFormSet,
    extra=0,
    max_num=MAX_SLOTS,
    validate_max=True,
    absolute_max=MAX_SLOTS,
)


def slot_formset(data=None, rows: int = FIRST_ROWS) -> forms.BaseFormSet:
    """The rows of times: ``rows`` empty ones to start with (at most MAX_SLOTS)."""
    return SlotFormSet(data, prefix="slot", initial=[{}] * min(rows, MAX_SLOTS))


def answer_choices(data, poll_slots: list[Slot]) -> dict[int, str]:
    """The answers posted as ``slot-<id>``: yes, if_need_be or no; blanks left out, anything
    else kept as posted so that the service refuses it."""
    choices = {}
    for slot in poll_slots:
        value = data.get(f"slot-{slot.pk}", "")
        if value:
            choices[slot.pk] = value
    return choices
