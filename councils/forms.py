"""Signing in: the sign-in page's form and the admin site's, with the username bounded."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from .models import DigestDay, User

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length


class BoundedUsername:
    """The username no longer than the User model's, so that an overlong one is refused before
    it is looked up or recorded by the sign-in throttle (django-axes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        # AuthenticationForm sets max_length after the field is made, which adds no validator.
        username.validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH))
        username.error_messages = username.error_messages | {
            "max_length": f"Your username must be {USERNAME_MAX_LENGTH} characters or fewer",
        }


class SignInForm(BoundedUsername, AuthenticationForm):
    """The sign-in page's form, with every error on a field, as the GOV.UK pattern asks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.error_messages = username.error_messages | {"required": "Enter your username"}
        password.error_messages = password.error_messages | {"required": "Enter your password"}

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            # A wrong password or an inactive account: beside the username, where the error
            # summary links to, rather than above the form.
            self.add_error("username", error)
            return self.cleaned_data


class AdminSignInForm(BoundedUsername, AdminAuthenticationForm):
    """The admin site's sign-in form."""


OFF = "off"


class ReminderSettingsForm(forms.Form):
    """The day of a person's weekly email of the actions they own, or none."""

    digest_day = forms.ChoiceField(
        label="When should we email you the actions you own?",
        choices=[*((str(v), f"Every {label}") for v, label in DigestDay.choices), (OFF, "Never")],
        widget=forms.RadioSelect,
        help_text="The email lists your actions that are overdue or due in the next 10 working "
        "days. Nothing is sent in a week when none are.",
        error_messages={
            "required": "Select the day of your weekly email, or never",
            "invalid_choice": "Select the day of your weekly email, or never",
        },
    )

    def day(self) -> int | None:
        value = self.cleaned_data["digest_day"]
        return None if value == OFF else int(value)
