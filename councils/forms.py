"""Signing in: the sign-in page's form and the admin site's, with the username bounded."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from .models import DigestDay, Role, User

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


PASSWORD_HINT = "At least 8 characters, not all digits; not a common password, nor like your name."  # noqa: S105
PASSWORDS_DIFFER = "The passwords do not match"  # noqa: S105 - a message, not a password


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The invitation goes to this address, with a link that works once.",
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's role"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = settings.INVITATION_DAYS
        self.fields["email"].help_text = (
            f"The invitation goes to this address, with a link that works once, for {days} "
            f"day{'s' if days != 1 else ''}."
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's role"},
    )


class NewAccountForm(forms.Form):
    """The account a person makes when they accept an invitation."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter your last name"}
    )
    username = forms.CharField(
        label="Username",
        max_length=USERNAME_MAX_LENGTH,
        help_text="You sign in with it. Letters, digits and @ . + - _ only.",
        error_messages={"required": "Enter a username"},
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HINT,
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm the password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as exc:
            raise forms.ValidationError(
                "A username may have letters, digits and @ . + - _ only"
            ) from exc
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken: choose another")
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", PASSWORDS_DIFFER)
        elif first:
            user = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def user(self) -> User:
        data = self.cleaned_data
        return User(
            username=data["username"], first_name=data["first_name"], last_name=data["last_name"]
        )


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address your account has. If it has one, we email a link to set a new "
        "password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = (
            "At least 8 characters, not all digits; not a common password, nor like your name."
        )
        self.fields["new_password2"].label = "Confirm the new password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages = {**self.error_messages, "password_mismatch": PASSWORDS_DIFFER}
