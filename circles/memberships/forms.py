from django import forms

from ..models import Circle, Membership

# Said by the form and by the service behind it (a post without the form).
ACCEPT_GUIDELINES = "Please read and accept the circle's guidelines."
CHOOSE_ROLE = "Choose host, moderator or member."


class CircleForm(forms.ModelForm):
    capacity = forms.IntegerField(
        min_value=2,
        max_value=50,
        initial=12,
        help_text="Circles stay small: 2 to 50 people.",
    )

    class Meta:
        model = Circle
        fields = [
            "name",
            "description",
            "guidelines",
            "join_policy",
            "visibility",
            "capacity",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "guidelines": forms.Textarea(attrs={"rows": 4}),
            "join_policy": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "join_policy": "Invite-only: people join by a link a host sends. A listed "
            "invite-only circle shows its name, description and guidelines in the "
            "directory, with “Ask for an invite”; an unlisted one is seen only by "
            "those holding the link.",
            "guidelines": "What members agree to when they join. Leave empty for our "
            "gentle defaults.",
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 3:
            raise forms.ValidationError(
                "Give the circle a name of 3 characters or more."
            )
        return name


class JoinForm(forms.Form):
    accept_guidelines = forms.BooleanField(
        required=True,
        label="I have read the circle's guidelines and I accept them",
        error_messages={"required": ACCEPT_GUIDELINES},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=[
            (Membership.Role.HOST, "Host"),
            (Membership.Role.MODERATOR, "Moderator"),
            (Membership.Role.MEMBER, "Member"),
        ]
    )


class MuteForm(forms.Form):
    minutes = forms.IntegerField(
        min_value=1, max_value=60 * 24 * 30, initial=60, label="Mute for (minutes)"
    )
    reason = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
