from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import User
from .names import normalise_display_name
from .services import display_name_conflict


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("username", "display_name")
        help_texts = {
            "username": "Used only to log in. Nobody else sees it.",
        }

    def clean_display_name(self):
        name = normalise_display_name(self.cleaned_data["display_name"])
        problem = display_name_conflict(display_name=name)
        if problem:
            raise forms.ValidationError(problem)
        return name
