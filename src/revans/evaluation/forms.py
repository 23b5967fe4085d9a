"""The survey and pulse forms, built from the questions they ask."""

from typing import Any

from django import forms

from .models import COMMENT_MAX, TEXT_MAX, ProgrammeQuestion
from .questions import SCALE, Question

OFF_THE_SCALE = f"Choose a point from {SCALE[0]} to {SCALE[-1]}."


class AnswersForm(forms.Form):
    """One field per question (a 1–5 scale or words, every one optional), and for the start and
    end surveys a private comment; the end survey's "what did you value most" has its tick."""

    def __init__(
        self,
        *args: Any,
        questions: tuple[Question, ...],
        comment: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.is_scale:
                self.fields[question.key] = forms.TypedChoiceField(
                    label=question.text,
                    choices=question.points(),
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": OFF_THE_SCALE},
                )
            else:
                self.fields[question.key] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            if question.share_label:
                self.fields["share_theme"] = forms.BooleanField(
                    label=question.share_label, required=False
                )
        if comment:
            self.fields["comment"] = forms.CharField(
                label="A private comment (optional)",
                help_text="Only you will ever see this: not the set, not the programme.",
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """Each question with its field, for the template to lay out."""
        return [
            {"question": q, "field": self[q.key], "value": self._value(q)} for q in self.questions
        ]

    def _value(self, question: Question) -> str:
        value = self[question.key].value()
        return "" if value is None else str(value)

    def answers(self) -> dict[str, int | str | None]:
        return {q.key: self.cleaned_data.get(q.key) for q in self.questions}


class ProgrammeQuestionForm(forms.ModelForm[ProgrammeQuestion]):
    class Meta:
        model = ProgrammeQuestion
        fields = ["text", "kind"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"kind": "Kind of answer"}
        help_texts = {
            "text": "Asked in every set's start and end surveys, after Revans' own questions. "
            "A scale reads best as a statement to agree with: “I know who to ask for help”."
        }
