import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from revans.core.forms import https_link_field, model_choice
from revans.sets.models import Set

from . import facilitation, schedule
from .formats import TASTER
from .models import MAX_DURATION, PHASE_NAMES, STAGE_NAMES, Attendance, Meeting, MeetingFormat

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class WhenMixin:
    """A date and a wall-clock time in the planner's own time zone."""

    def zone(self) -> zoneinfo.ZoneInfo:
        return timezone.get_current_timezone()

    def start_from(self, day, time) -> datetime:
        return schedule.localise(datetime.combine(day, time), self.zone())


class ScheduleForm(WhenMixin, forms.Form):
    first_date = forms.DateField(label="First meeting", widget=DATE)
    first_time = forms.TimeField(label="Starting at", widget=TIME)
    cadence = forms.ChoiceField(
        choices=[("weeks", "Every few weeks"), ("monthly", "Monthly, on the same weekday")],
        widget=forms.RadioSelect,
        initial="weeks",
    )
    interval_weeks = forms.IntegerField(
        label="Weeks apart",
        initial=4,
        min_value=1,
        max_value=12,
        required=False,
        help_text="For “every few weeks”: 1 to 12.",
        error_messages={"min_value": "Meetings must be at least one week apart."},
    )
    count = forms.IntegerField(
        label="Number of meetings",
        initial=6,
        min_value=1,
        max_value=schedule.MAX_COUNT,
        error_messages={"max_value": "Plan at most 52 meetings (a year of weekly meetings)."},
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=15, max_value=MAX_DURATION, initial=60
    )
    format = forms.ModelChoiceField(queryset=MeetingFormat.objects.none(), empty_label=None)
    place = forms.CharField(max_length=300, required=False)
    video_link = https_link_field()

    taster = forms.BooleanField(
        label="Run the first meeting as a taster",
        required=False,
        initial=True,
        help_text="Introductions, how action learning works, a practice round on a sample"
        " problem, the set's own ground rules and the next dates.",
    )

    def __init__(self, *args, set_: Set, **kwargs):
        super().__init__(*args, **kwargs)
        self.set = set_
        # The taster is for meeting 1 alone (the box below), not for a run of meetings.
        model_choice(self, "format").queryset = MeetingFormat.objects.for_set(set_).exclude(
            slug=TASTER, set=None
        )
        if set_.meetings.exclude(status=Meeting.Status.CANCELLED).exists():
            del self.fields["taster"]  # the set has had its first meeting planned already
        self.starts: list[datetime] = []
        self.preview: list[dict] = []

    def first_format(self) -> MeetingFormat | None:
        """The taster, when meeting 1 is among the new meetings and the planner wants one."""
        if not self.cleaned_data.get("taster"):
            return None
        return MeetingFormat.objects.shipped().filter(slug=TASTER).first()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        interval = cleaned.get("interval_weeks") or 1
        if cleaned["cadence"] == "weeks" and cleaned.get("interval_weeks") is None:
            self.add_error("interval_weeks", "Say how many weeks apart the meetings are.")
            return cleaned
        try:
            cadence = schedule.Cadence(
                cleaned["cadence"], interval if cleaned["cadence"] == "weeks" else 1
            )
            first = datetime.combine(cleaned["first_date"], cleaned["first_time"])
            self.starts = schedule.plan(first, self.zone(), cadence, cleaned["count"])
        except schedule.ScheduleError as error:
            raise forms.ValidationError(str(error)) from None
        if self.starts[0] <= timezone.now():
            self.add_error("first_date", "The first meeting must be in the future.")
            return cleaned
        self.cadence_text = schedule.describe(cadence, cleaned["first_date"])
        busy = [
            schedule.Busy(f"meeting {m.number}", m.starts_at, m.ends_at)
            for m in self.set.meetings.exclude(status=Meeting.Status.CANCELLED)
        ]
        self.preview = [
            {
                "starts_at": start,
                "clashes": schedule.clashes(start, cleaned["duration_minutes"], busy),
                "facilitated": facilitated,
                "taster": index == 0 and bool(cleaned.get("taster")),
            }
            for index, (start, facilitated) in enumerate(
                zip(self.starts, facilitation.plan(self.set, len(self.starts)), strict=True)
            )
        ]
        self.facilitated_count = sum(1 for row in self.preview if row["facilitated"])
        self.self_facilitated_count = len(self.preview) - self.facilitated_count
        return cleaned


class MeetingForm(WhenMixin, forms.ModelForm):
    """One meeting: add it, or move it and change its details."""

    date = forms.DateField(widget=DATE)
    time = forms.TimeField(widget=TIME)
    video_link = https_link_field()

    class Meta:
        model = Meeting
        fields = ["duration_minutes", "format", "place", "video_link"]
        labels = {"duration_minutes": "Length (minutes)"}

    def __init__(self, *args, set_: Set, **kwargs):
        super().__init__(*args, **kwargs)
        self.set = set_
        format_field = model_choice(self, "format")
        format_field.queryset = MeetingFormat.objects.for_set(set_)
        format_field.empty_label = None
        self.order_fields(["date", "time", "duration_minutes", "format", "place", "video_link"])
        if self.instance.pk:
            local = timezone.localtime(self.instance.starts_at)
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("time", local.time().replace(second=0, microsecond=0))

    def clean(self):
        cleaned = super().clean()
        if "date" in cleaned and "time" in cleaned:
            try:
                start = self.start_from(cleaned["date"], cleaned["time"])
            except schedule.ScheduleError as error:
                self.add_error("time", str(error))
                return cleaned
            if start <= timezone.now():
                self.add_error("date", "Choose a date and time in the future.")
            try:  # its end, seen from any time zone, must still be a date
                start + timedelta(minutes=cleaned.get("duration_minutes") or 0, days=1)
            except OverflowError:
                self.add_error("date", "That meeting would run past the end of the calendar.")
                return cleaned
            cleaned["starts_at"] = start
        return cleaned


class ApologiesForm(forms.Form):
    note = forms.CharField(
        label="A note for the set (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttendanceForm(forms.Form):
    """Present / apologies / absent for each person in the set."""

    def __init__(self, *args, people, current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            self.fields[f"status-{person.pk}"] = forms.ChoiceField(
                label=person.display_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=current.get(person.pk),
                required=False,
            )

    def statuses(self) -> dict[int, str]:
        return {
            person.pk: self.cleaned_data[f"status-{person.pk}"]
            for person in self.people
            if self.cleaned_data.get(f"status-{person.pk}")
        }

    def rows(self):
        return [(person, self[f"status-{person.pk}"]) for person in self.people]


class FormatForm(forms.Form):
    """A set's own copy of a format: its name, presenters and the minutes of each phase."""

    name = forms.CharField(max_length=120)
    presenters = forms.IntegerField(min_value=1, max_value=6)

    def __init__(self, *args, source: MeetingFormat, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        for index, phase in enumerate(source.phases):
            label = PHASE_NAMES.get(phase["kind"], phase["kind"])
            if phase.get("stages"):
                for stage, minutes in phase["stages"].items():
                    self.fields[f"phase-{index}-{stage}"] = forms.IntegerField(
                        label=f"{label}: {STAGE_NAMES.get(stage, stage).lower()}",
                        min_value=0,
                        max_value=240,
                        initial=minutes,
                    )
            else:
                self.fields[f"phase-{index}"] = forms.IntegerField(
                    label=label, min_value=0, max_value=240, initial=phase["minutes"]
                )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the format a name.")
        return name

    def phases(self) -> list[dict]:
        phases = []
        for index, phase in enumerate(self.source.phases):
            if phase.get("stages"):
                stages = {
                    stage: self.cleaned_data[f"phase-{index}-{stage}"] for stage in phase["stages"]
                }
                phases.append(
                    {"kind": phase["kind"], "minutes": sum(stages.values()), "stages": stages}
                )
            else:
                phases.append(
                    {"kind": phase["kind"], "minutes": self.cleaned_data[f"phase-{index}"]}
                )
        return phases

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            total = sum(
                p["minutes"] * (cleaned["presenters"] if p["kind"] == "airtime" else 1)
                for p in self.phases()
            )
            if total == 0:
                raise forms.ValidationError("Give at least one phase some minutes.")
            if total > MAX_DURATION:
                raise forms.ValidationError(
                    f"That adds up to {total} minutes; keep a meeting within {MAX_DURATION}."
                )
        return cleaned
