from django import forms


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

    def __init__(self, *args, **kwargs):
        """The page is for one kind (the link switches): a plain discussion shows no
        ask-only fields, an ask shows them without "(for an ask)"."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = forms.HiddenInput()
        if self.composer_kind != "ask":
            del self.fields["needs"]
            del self.fields["reply_norm"]
        else:
            self.fields["needs"].label = "What would help? (one or more)"
            self.fields["reply_norm"].label = "How would you like people to reply?"

    @property
    def composer_kind(self) -> str:
        value = (
            self.data.get("kind") if self.is_bound else self.initial.get("kind")
        ) or "discussion"
        return "ask" if value == "ask" else "discussion"


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 4}), label="Your reply"
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    content_warning = forms.CharField(
        max_length=200, required=False, label="Content warning (optional)"
    )


class EditForm(forms.Form):
    body = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 6}), label="Your post"
    )
