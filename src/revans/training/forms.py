import re

from django import forms

from revans.coach import MAX_LENGTH

# A tag such as <b>, </p> or <!-- : a question is plain text, so markup is refused rather
# than stored and shown back (a bare "<" as in "fewer than <5 people" is fine).
MARKUP = re.compile(r"<\s*[/!?]?\s*[a-zA-Z!]")
# Control characters other than tab and line breaks (null bytes are Django's own check).
CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QuestionForm(forms.Form):
    question = forms.CharField(
        label="Your question",
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One question, as you would ask it in the set.",
        error_messages={
            "required": "Write a question first.",
            "max_length": "Keep your question to %(limit_value)d characters or fewer "
            "(it has %(show_value)d).",
            "null_characters_not_allowed": "Your question contains characters that cannot be "
            "shown. Type it again as plain text.",
        },
    )

    def clean_question(self) -> str:
        question = self.cleaned_data["question"]
        if CONTROL.search(question):
            raise forms.ValidationError(
                "Your question contains characters that cannot be shown. "
                "Type it again as plain text."
            )
        if MARKUP.search(question):
            raise forms.ValidationError("Write your question as plain text, without HTML tags.")
        return question
