from typing import Any

from django import forms


def id_from(text: str) -> int | None:
    """The id written in a query string or a post ("12"), or None for anything else: "²" and
    "١٢" pass ``str.isdigit`` but are not ids."""
    return int(text) if text.isascii() and text.isdigit() else None


def require_https(link: str) -> None:
    if link and not link.startswith("https://"):
        raise forms.ValidationError("Use a secure link that starts with https://.")


def https_link_field() -> forms.URLField:
    """A video-call link: Zoom, Teams, Meet, Jitsi or any other, as long as it is https."""
    return forms.URLField(
        label="Video link",
        required=False,
        assume_scheme="https",
        validators=[require_https],
        help_text="Zoom, Teams, Meet, Jitsi or any https link.",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


def model_choice(form: forms.BaseForm, name: str) -> "forms.ModelChoiceField[Any]":
    """The form's ``name`` field as the model choice it is, to set its queryset or empty label
    (``form.fields`` only knows it as a ``Field``)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's ``name`` field as the choice field it is, to set its choices."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field
