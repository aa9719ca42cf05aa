from django import forms


class SlowModeForm(forms.Form):
    seconds = forms.IntegerField(
        min_value=0, max_value=3600, label="Seconds between messages (0 turns it off)"
    )
