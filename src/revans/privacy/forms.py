from django import forms

from revans.accounts.models import User


class DeleteAccountForm(forms.Form):
    """The person types their own e-mail address: a deletion is never one click away."""

    email = forms.CharField(
        label="Type your e-mail address to confirm",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        typed = self.cleaned_data["email"].strip()
        if typed.casefold() != self.user.email.casefold():
            raise forms.ValidationError(
                "That is not the address you sign in with. Nothing has been deleted."
            )
        return typed
