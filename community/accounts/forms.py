from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.hashers import make_password

from .models import User
from .names import normalise_display_name
from .services import display_name_conflict

# Usernames must be unique, so a sign-up has to say when one is in use. It says so
# only once the rest of the form is right, at the cost of a real sign-up (a password
# hash); it says no more than that (not "exists", the same words for any unusable
# name), sign-ups are limited per address (RATE_LIMIT_SIGNUP counts every attempt, refused ones too),
# and usernames are private: knowing one exists helps only password guessing, which
# the log-in limits slow.
USERNAME_UNAVAILABLE = (
    "That username is not available. Please choose another; only you will see it."
)


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("username", "display_name")
        help_texts = {
            "username": "Used only to log in. Nobody else sees it.",
        }

    def clean_username(self):
        # Whether it is taken is asked last (_post_clean), never before the rest.
        return self.cleaned_data.get("username")

    def validate_unique(self):
        exclude = self._get_validation_exclusions() | {"username"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)

    def _post_clean(self):
        """A username in use is told only once everything else is right, and costs
        the same password hash an account made with it would: a stranger learns
        nothing from a form with a mistake in it, and each probe costs a full
        sign-up attempt (RATE_LIMIT_SIGNUP)."""
        super()._post_clean()
        username = self.cleaned_data.get("username")
        if self.errors or not username:
            return
        if User.objects.filter(username__iexact=username).exists():
            make_password(self.cleaned_data.get("password1") or "")
            self.add_error(
                "username",
                forms.ValidationError(USERNAME_UNAVAILABLE, code="unavailable"),
            )

    def clean_display_name(self):
        name = normalise_display_name(self.cleaned_data["display_name"])
        problem = display_name_conflict(display_name=name)
        if problem:
            raise forms.ValidationError(problem)
        return name
