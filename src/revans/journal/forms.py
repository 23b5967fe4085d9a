from datetime import date, timedelta

from django import forms
from django.db.models import Q
from django.utils import dateformat, timezone

from revans.core.forms import choice, model_choice
from revans.meetings.models import Meeting

from .markdown import MAX_LENGTH
from .models import (
    MAX_SECTION_LENGTH,
    MAX_SECTIONS,
    PERIOD_MAX,
    PERIOD_MIN,
    WORDS_LIMIT,
    Entry,
    Log,
    meetings_for_log,
    split_tags,
)
from .prompts import log_templates, prompt_sets_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EARLIEST = date(2000, 1, 1)
MAX_TAGS, MAX_TAG_LENGTH = 20, 40


def _sane_date(day: date, what: str, ahead_days: int, back_years: int | None = None) -> date:
    today = timezone.localdate()
    earliest = EARLIEST
    if back_years is not None:
        earliest = max(earliest, today.replace(year=today.year - back_years, day=1))
    if day < earliest:
        raise forms.ValidationError(
            f"{what} cannot be before {dateformat.format(earliest, 'j F Y')}."
        )
    if day > today + timedelta(days=ahead_days):
        if ahead_days <= 1:
            raise forms.ValidationError(f"{what} cannot be in the future.")
        raise forms.ValidationError(f"{what} is too far ahead: at most a year from today.")
    return day


class LogForm(forms.ModelForm):
    sections = forms.CharField(
        label="Sections",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"One per line, up to {MAX_SECTIONS}. Entries can be filed under a section.",
    )

    class Meta:
        model = Log
        fields = ["title", "purpose", "started_on", "period_months", "words_min", "words_max"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "started_on": DATE,
        }
        error_messages = {
            "period_months": {
                "min_value": f"A log runs for {PERIOD_MIN} to {PERIOD_MAX} months.",
                "max_value": f"A log runs for {PERIOD_MIN} to {PERIOD_MAX} months.",
            },
            "words_min": {"max_value": f"Aim for at most {WORDS_LIMIT:,} words."},
            "words_max": {
                "max_value": f"Aim for at most {WORDS_LIMIT:,} words.",
                "min_value": "The most words must be at least 1.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_months"].help_text = f"{PERIOD_MIN} to {PERIOD_MAX} months."
        self.fields["words_min"].help_text = "The ILM log asks for 1,500 to 7,000 words."
        if self.instance.pk:
            self.initial["sections"] = "\n".join(self.instance.sections or [])
        else:
            self.initial.setdefault("started_on", timezone.localdate())

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the log a title.")
        return title

    def clean_started_on(self) -> date:
        return _sane_date(self.cleaned_data["started_on"], "The start date", 366, back_years=10)

    def clean_sections(self) -> list[str]:
        sections: list[str] = []
        for line in self.cleaned_data["sections"].splitlines():
            title = " ".join(line.split())
            if not title or title in sections:
                continue
            if len(title) > MAX_SECTION_LENGTH:
                raise forms.ValidationError(
                    f"Keep each section title under {MAX_SECTION_LENGTH} characters."
                )
            sections.append(title)
        if len(sections) > MAX_SECTIONS:
            raise forms.ValidationError(f"A log can have at most {MAX_SECTIONS} sections.")
        if self.instance.pk:
            in_use = set(
                self.instance.entries.exclude(section="").values_list("section", flat=True)
            )
            dropped = sorted(in_use - set(sections))
            if dropped:
                raise forms.ValidationError(
                    "Entries are filed under "
                    + ", ".join(f"“{title}”" for title in dropped)
                    + ": keep the section, or move its entries to another section first."
                )
        return sections

    def save(self, commit: bool = True) -> Log:
        self.instance.sections = self.cleaned_data["sections"]
        return super().save(commit)


class LogCreateForm(LogForm):
    template = forms.ChoiceField(
        label="Start from",
        widget=forms.RadioSelect,
        initial="",
        required=False,
    )

    field_order = ["template", "title", "purpose"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = log_templates()
        self.fields["template"].choices = [
            *((t.slug, t.name) for t in self.templates.values()),
            ("", "A blank log"),
        ]
        self.fields["sections"].help_text += " Left empty, the template's sections are used."
        self.fields["purpose"].help_text += " Left empty, the template's is used."

    def save(self, commit: bool = True) -> Log:
        template = self.templates.get(self.cleaned_data.get("template") or "")
        self.instance.template = template.slug if template else ""
        if template and not self.cleaned_data["sections"]:
            self.cleaned_data["sections"] = list(template.sections)
        if template and not self.instance.purpose:
            self.instance.purpose = template.purpose
        return super().save(commit)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        when = dateformat.format(timezone.localtime(meeting.starts_at), "j M Y")
        return f"{meeting.set.name}, meeting {meeting.number} ({when})"


class EntryForm(forms.ModelForm):
    """An entry of ``log``, written by its owner. ``draft=True`` is the autosave's lenient
    version: no title or date needed yet, but nothing invalid is ever stored."""

    body = forms.CharField(
        label="Entry",
        required=False,
        strip=False,
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
        help_text="Markdown: # heading, **bold**, *italic*, - list, > quote, [link](https://…).",
        error_messages={
            "max_length": f"An entry can be at most {MAX_LENGTH:,} characters; "
            "split it into two entries."
        },
    )
    section = forms.ChoiceField(required=False)
    prompt_set = forms.ChoiceField(label="Prompt set", required=False)
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="No meeting",
        help_text="A meeting of one of your sets that this entry reflects on.",
    )

    class Meta:
        model = Entry
        fields = ["title", "entry_date", "section", "meeting", "tags", "prompt_set", "body"]
        widgets = {
            "entry_date": DATE,
            "tags": forms.TextInput(attrs={"placeholder": "e.g. questioning, confidence"}),
        }
        error_messages = {
            "title": {"required": "Give the entry a title."},
            "entry_date": {"required": "Give the entry a date."},
        }

    def __init__(self, *args, log: Log, user, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = log
        self.instance.log = log
        self.draft = draft
        self.fields["title"].required = not draft
        self.fields["entry_date"].required = not draft
        self.fields["entry_date"].initial = timezone.localdate
        choice(self, "section").choices = [("", "No section"), *((s, s) for s in log.sections)]
        if not log.sections:
            self.fields["section"].widget = forms.HiddenInput()
        self.prompt_sets = prompt_sets_for(user)
        choice(self, "prompt_set").choices = [
            ("", "None"),
            *((p.slug, p.name) for p in self.prompt_sets),
        ]
        # Meetings that have been held: their time has come, or their room was opened (or closed)
        # before it. The entry's own meeting always stays a choice, so that saving the entry
        # never drops the link "Add to my log" made, whatever the meeting's date.
        held = Q(starts_at__lte=timezone.now()) | Q(
            status__in=[Meeting.Status.LIVE, Meeting.Status.CLOSED]
        )
        held &= ~Q(status=Meeting.Status.CANCELLED)
        if self.instance.meeting_id:
            held |= Q(pk=self.instance.meeting_id)
        model_choice(self, "meeting").queryset = (
            meetings_for_log(user).filter(held).select_related("set").order_by("-starts_at")
        )

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title and not self.draft:
            raise forms.ValidationError("Give the entry a title.")
        return title

    def clean_entry_date(self) -> date:
        day = self.cleaned_data.get("entry_date")
        if day is None:
            return timezone.localdate()
        return _sane_date(day, "The date", 1)

    def clean_tags(self) -> str:
        tags = split_tags(self.cleaned_data["tags"])
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"Use at most {MAX_TAGS} tags.")
        if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise forms.ValidationError(f"Keep each tag under {MAX_TAG_LENGTH} characters.")
        return ", ".join(tags)
