from django import forms

from moderation.models import Flag


class FlagForm(forms.Form):
    kind = forms.ChoiceField(choices=Flag.Kind.choices, widget=forms.HiddenInput)
    id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.ChoiceField(
        choices=Flag.Reason.choices, widget=forms.RadioSelect, label="What is wrong?"
    )
    note = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything the moderators should know? (optional)",
    )
