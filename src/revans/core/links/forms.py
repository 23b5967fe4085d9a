from django import forms
from django.contrib.auth import get_user_model, password_validation

User = get_user_model()


class NewPersonForm(forms.Form):
    """A newcomer arriving through an e-mailed link: a name and a password, nothing else (the
    link proved the address)."""

    display_name = forms.CharField(label="Your name", max_length=120)
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="The password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, name_help: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["display_name"].help_text = name_help

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Please give your name.")
        return name

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            candidate = User(email=self.email, display_name=cleaned.get("display_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self):
        return User.objects.create_user(
            email=self.email,
            password=self.cleaned_data["password1"],
            display_name=self.cleaned_data["display_name"],
        )
