"""Forms of "Add to my log" and of the prompt sets programme managers add for their programme."""

from django import forms

from .models import Log, ProgrammePromptSet
from .reflect import JOURNAL_TEMPLATE, new_journal_title

NEW_LOG = "new"
MAX_PROMPTS, MAX_PROMPT_LENGTH = 20, 300


class ReflectForm(forms.Form):
    """Which of my logs the meeting goes into, or a new "My set journal" (numbered if one of my
    logs already has that title)."""

    log = forms.ChoiceField(
        label="Add it to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a log to add the meeting to.",
            "invalid_choice": "Choose one of your logs, or a new set journal.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.logs = {str(log.pk): log for log in Log.objects.owned_by(user).order_by("title")}
        self.new_title = new_journal_title(log.title for log in self.logs.values())
        self.fields["log"].choices = [
            *((pk, log.title) for pk, log in self.logs.items()),
            (NEW_LOG, f"A new log: “{self.new_title}”"),
        ]
        if not self.logs:
            self.initial["log"] = NEW_LOG
        else:
            journal = next(
                (pk for pk, log in self.logs.items() if log.template == JOURNAL_TEMPLATE), ""
            )
            self.initial["log"] = journal or next(iter(self.logs))

    def chosen_log(self) -> Log | None:
        """The chosen log, or ``None`` for a new one."""
        return self.logs.get(self.cleaned_data["log"])


class ProgrammePromptSetForm(forms.ModelForm):
    prompts = forms.CharField(
        label="Prompts",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"One question per line, up to {MAX_PROMPTS}.",
        error_messages={"required": "Write at least one prompt."},
    )

    class Meta:
        model = ProgrammePromptSet
        fields = ["name", "prompts"]
        error_messages = {
            "name": {
                "required": "Give the prompt set a name.",
                "max_length": "Keep the name under 120 characters.",
            }
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the prompt set a name.")
        taken = ProgrammePromptSet.objects.filter(programme=self.programme, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This programme already has a prompt set of that name.")
        return name

    def clean_prompts(self) -> str:
        lines = [" ".join(line.split()) for line in self.cleaned_data["prompts"].splitlines()]
        prompts = [line for line in lines if line]
        if not prompts:
            raise forms.ValidationError("Write at least one prompt.")
        if len(prompts) > MAX_PROMPTS:
            raise forms.ValidationError(f"A prompt set can have at most {MAX_PROMPTS} prompts.")
        if any(len(line) > MAX_PROMPT_LENGTH for line in prompts):
            raise forms.ValidationError(f"Keep each prompt under {MAX_PROMPT_LENGTH} characters.")
        return "\n".join(prompts)
