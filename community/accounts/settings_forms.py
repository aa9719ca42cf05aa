import zoneinfo

from django import forms

from community.helplines import countries
from community.notifications import preferences

from . import verification
from .models import User, display_name_validators

ZONES = sorted(zoneinfo.available_timezones())


class AccountSettingsForm(forms.Form):
    display_name = forms.CharField(
        max_length=32,
        validators=display_name_validators,
        help_text="How others in your circles see you: 2 to 32 characters.",
    )
    email = forms.EmailField(
        required=False,
        help_text="Optional. Used only once you confirm it by the link we send, for "
        "the email you choose below and for password resets. Nobody else sees it.",
    )
    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change or remove your email address.",
    )
    allow_messages = forms.ChoiceField(
        label="Who may send me private messages",
        choices=User._meta.get_field("allow_messages").choices,
        widget=forms.RadioSelect,
        help_text="Hosts and moderators of your circles may always send you a "
        "check-in.",
    )
    time_zone = forms.CharField(
        required=False,
        max_length=64,
        help_text="For quiet hours and the daily digest, for example Europe/London.",
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )
    quiet_hours = forms.CharField(
        required=False,
        max_length=11,
        help_text="No email between these times, for example 22:00-07:30. "
        "Leave empty for none.",
    )

    crisis_country = forms.ChoiceField(
        label="Country for support lines",
        required=False,
        help_text="Which crisis and safety lines the site shows you, with numbers "
        "you can tap to call or text.",
    )
    discreet_email = forms.ChoiceField(
        label="Discreet email",
        choices=[
            ("off", "Off: emails say what happened and where"),
            (
                "on",
                "On: every email has a plain subject and names no circle, person "
                "or words, only a link",
            ),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["crisis_country"].choices = countries()
        for kind in preferences.CHOOSABLE:
            self.fields[f"notify_{kind}"] = forms.ChoiceField(
                label=preferences.LABELS[kind],
                choices=preferences.CHOICES,
                widget=forms.RadioSelect,
            )
        self.fields["notify_reply_scope"] = forms.ChoiceField(
            label="Which replies come by email",
            choices=preferences.REPLY_SCOPES,
            widget=forms.RadioSelect,
            required=False,  # a form from before this choice: `direct`
        )

    @classmethod
    def initial_for(cls, user) -> dict:
        initial = {
            "display_name": user.display_name,
            "email": user.email_pending or user.email,
            "allow_messages": user.allow_messages,
            "time_zone": user.time_zone,
            "quiet_hours": user.quiet_hours,
            "crisis_country": user.crisis_country,
            "discreet_email": "on" if user.discreet_email else "off",
        }
        for kind in preferences.CHOOSABLE:
            initial[f"notify_{kind}"] = preferences.choice(user, kind)
        initial["notify_reply_scope"] = preferences.reply_scope(user)
        return initial

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if (
            self.user is not None
            and email is not None
            and verification.email_change_needs_password(user=self.user, email=email)
            and not self.user.check_password(cleaned.get("current_password") or "")
        ):
            self.add_error(
                "current_password",
                "Enter your current password to change your email address. "
                "Nothing was saved.",
            )
        return cleaned

    def clean_time_zone(self):
        value = (self.cleaned_data.get("time_zone") or "").strip()
        if value and value not in ZONES:
            raise forms.ValidationError(
                "Choose a time zone from the list, for example Europe/London."
            )
        return value

    def clean_quiet_hours(self):
        value = self.cleaned_data.get("quiet_hours") or ""
        try:
            preferences.parse_quiet_hours(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return value.replace(" ", "")

    def clean_discreet_email(self):
        return (self.cleaned_data.get("discreet_email") or "off") == "on"

    def notify(self) -> dict:
        chosen = {k: self.cleaned_data[f"notify_{k}"] for k in preferences.CHOOSABLE}
        chosen["reply_scope"] = self.cleaned_data.get("notify_reply_scope") or "direct"
        return chosen

    def notify_fields(self):
        fields = [self[f"notify_{k}"] for k in preferences.CHOOSABLE]
        fields.insert(1, self["notify_reply_scope"])
        return fields


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    content = forms.ChoiceField(
        label="What happens to what you wrote",
        choices=[
            (
                "remove",
                "Remove everything I wrote: my threads, replies, chat messages and "
                "private messages are replaced by a note that they were removed, "
                "and my reactions are taken back; replies others wrote stay where "
                "they are",
            ),
            (
                "keep",
                "Keep what I wrote, shown as written by “a former member”, with "
                "nothing that names me",
            ),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data.get("password") or ""
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
