from django import forms
from django.core.validators import validate_email

from revans.core.forms import https_link_field

from .models import Issue, Membership, Role, Set
from .questions import MAX_ANSWER, Check, Question, shipped

MAX_RULES, MAX_RULE_LENGTH = 20, 300
MAX_INVITES = 30


class SetForm(forms.ModelForm):
    facilitate = forms.BooleanField(
        label="I will facilitate this set",
        required=False,
        initial=True,
        help_text="A set outside a programme needs you as its facilitator.",
    )
    video_link = https_link_field()

    class Meta:
        model = Set
        fields = [
            "name",
            "programme",
            "mode",
            "place",
            "video_link",
            "status",
            "self_facilitated",
            "peer_set",
            "reminder_days",
        ]
        widgets = {"mode": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["reminder_days"].required = False
        # The programme field's own queryset: sets import nothing from programmes (§6).
        managed = self.fields["programme"].queryset.visible_to(user)
        self.fields["programme"].queryset = managed
        self.fields["programme"].help_text = "Only programmes you manage are listed."
        if self.instance.pk:
            del self.fields["facilitate"]
        if self.instance.programme_id:
            # A facilitator may edit the set but not move it out of its programme.
            keep = managed.filter(pk=self.instance.programme_id).exists()
        else:
            keep = managed.exists()
        if not keep:
            del self.fields["programme"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the set a name.")
        return name

    def clean_reminder_days(self) -> int:
        days = self.cleaned_data.get("reminder_days")
        return Set._meta.get_field("reminder_days").default if days is None else days

    def clean(self):
        cleaned = super().clean()
        if (
            not self.instance.pk
            and not cleaned.get("programme")
            and not cleaned.get("facilitate")
            and not cleaned.get("self_facilitated")
        ):
            self.add_error(
                "facilitate",
                "A set outside a programme needs you as its facilitator, or must be self-facilitated.",
            )
        return cleaned


TOO_LONG = "Keep each answer to %(limit_value)d characters or fewer: this one has %(show_value)d."


def _answer_field(question: Question, initial: str, rows: int) -> forms.CharField:
    return forms.CharField(
        label=question.text,
        help_text=question.help,
        required=False,
        max_length=MAX_ANSWER,
        initial=initial,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class IssueForm(forms.ModelForm):
    """An issue of one kind, with that kind's guiding questions (``q_<key>``) and the checks
    that help a member see whether it suits the set (``c_<key>``). Answers to another kind's
    questions, kept from before a change of kind, stay in ``answers``."""

    kind = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Issue
        fields = ["title", "description", "why_it_matters", "status"]
        labels = {"description": "What is it about?"}
        help_texts = {"description": "In a sentence or two, in your own words."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "why_it_matters": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.issue_kind = shipped().kind(kind)
        self.fields["kind"].initial = kind
        answers = self.instance.answers if self.instance.pk else {}
        for question in self.issue_kind.asked if self.issue_kind else ():
            field = _answer_field(question, answers.get(question.key, ""), rows=3)
            self.fields[f"q_{question.key}"] = field
        for check in shipped().checks:
            self.fields[f"c_{check.key}"] = forms.ChoiceField(
                label=check.text,
                choices=check.options,
                required=False,
                initial=answers.get(check.key),
                widget=forms.RadioSelect,
            )

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("q_")]

    @property
    def check_fields(self) -> list[tuple[forms.BoundField, Check]]:
        return [(self[f"c_{check.key}"], check) for check in shipped().checks]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give your issue a short title.")
        return title

    def clean(self):
        cleaned = super().clean()
        if self.issue_kind is None:
            # The kind travels in a hidden field: its error is said above the form.
            raise forms.ValidationError(
                "Choose the kind of issue: a work project, or how you operate."
            )
        return cleaned

    def save(self, commit: bool = True) -> Issue:
        issue = super().save(commit=False)
        assert self.issue_kind is not None  # clean() refused the form without one
        issue.kind = self.issue_kind.key
        answers = dict(issue.answers)
        for name, value in self.cleaned_data.items():
            if name.startswith(("q_", "c_")):
                key = name[2:]
                if value:
                    answers[key] = value
                else:
                    answers.pop(key, None)
        issue.answers = answers
        if commit:
            issue.save()
        return issue


class ExpectationsForm(forms.Form):
    """The expectations questionnaire: one field a question still asked, named by its key."""

    def __init__(self, *args, answers: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for question in shipped().asked_expectations:
            field = _answer_field(question, answers.get(question.key, ""), rows=4)
            self.fields[question.key] = field

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(key) for key in self.fields):
            raise forms.ValidationError("Answer at least one question before saving.")
        return cleaned


class GroundRulesForm(forms.Form):
    rules = forms.CharField(
        label="Ground rules",
        error_messages={"required": "Write at least one ground rule."},
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=f"One rule a line, at most {MAX_RULES}. Saving a change asks everyone to agree again.",
    )

    def clean_rules(self) -> list[str]:
        rules = [" ".join(line.split()) for line in self.cleaned_data["rules"].splitlines()]
        rules = [rule for rule in rules if rule]
        if not rules:
            raise forms.ValidationError("Write at least one ground rule.")
        if len(rules) > MAX_RULES:
            raise forms.ValidationError(f"Keep to {MAX_RULES} rules or fewer ({len(rules)} given).")
        too_long = [rule for rule in rules if len(rule) > MAX_RULE_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Keep each rule under {MAX_RULE_LENGTH} characters: “{too_long[0][:40]}…” is longer."
            )
        return rules


class InvitationForm(forms.Form):
    emails = forms.CharField(
        label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="One or more, separated by commas or new lines.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args, set_: Set, **kwargs):
        super().__init__(*args, **kwargs)
        self.set = set_

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").split()
        emails: list[str] = []
        for item in raw:
            email = item.strip().strip("<>").lower()
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(f"“{item[:80]}” is not an e-mail address.") from None
            if email not in emails:
                emails.append(email)
        if not emails:
            raise forms.ValidationError("Give at least one e-mail address.")
        if len(emails) > MAX_INVITES:
            raise forms.ValidationError(f"Invite at most {MAX_INVITES} people at a time.")
        already = Membership.objects.filter(set=self.set, user__email__in=emails).values_list(
            "user__email", flat=True
        )
        if already:
            raise forms.ValidationError(
                f"Already in this set: {', '.join(sorted(already))}. Change their role instead."
            )
        return emails


class RoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]
