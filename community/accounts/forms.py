from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import User
from .services import display_name_is_taken


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("username", "display_name")
        help_texts = {
            "username": "Used only to log in. Nobody else sees it.",
        }

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if display_name_is_taken(display_name=name):
            raise forms.ValidationError("That display name is taken.")
        return name
