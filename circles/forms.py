from django import forms

from .models import Circle, Membership


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
        error_messages={"required": "Please read and accept the circle's guidelines."},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=[
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


class ThreadForm(forms.Form):
    """A discussion or an ask. For an ask the labels guide the person through it."""

    kind = forms.ChoiceField(
        choices=[
            ("discussion", "A discussion"),
            ("ask", "An ask: I would like some help"),
        ],
        widget=forms.RadioSelect,
        initial="discussion",
        label="What are you starting?",
    )
    title = forms.CharField(max_length=200, label="Title")
    body = forms.CharField(
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="What is going on?",
        help_text="Markdown works: **bold**, _italic_, > quotes, lists, links.",
    )
    needs = forms.MultipleChoiceField(
        choices=[
            ("listening", "Someone to listen"),
            ("perspective", "Another perspective"),
            ("practical", "Practical help"),
            ("resources", "Resources to read"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What would help? (for an ask: one or more)",
    )
    reply_norm = forms.ChoiceField(
        choices=[
            ("listen_only", "Just listen: I want to be heard, not advised"),
            ("advice_welcome", "Advice is welcome"),
        ],
        widget=forms.RadioSelect,
        required=False,
        label="How would you like people to reply? (for an ask)",
    )
    content_warning = forms.CharField(
        max_length=200,
        required=False,
        label="Content warning (optional)",
        help_text="If it touches something painful, name it: readers open it when ready.",
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 4}), label="Your reply"
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    content_warning = forms.CharField(
        max_length=200, required=False, label="Content warning (optional)"
    )


class EditForm(forms.Form):
    body = forms.CharField(max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
