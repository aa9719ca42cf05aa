from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import User
from .names import normalise_display_name
from .services import display_name_conflict

# Usernames must be unique, so a sign-up has to say when one is in use. It says no
# more than that (not "exists", the same words for any unusable name), sign-ups are
# limited per address (RATE_LIMIT_SIGNUP counts every attempt, refused ones too),
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
        username = self.cleaned_data.get("username")
        if username and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_UNAVAILABLE, code="unavailable")
        return username

    def clean_display_name(self):
        name = normalise_display_name(self.cleaned_data["display_name"])
        problem = display_name_conflict(display_name=name)
        if problem:
            raise forms.ValidationError(problem)
        return name
