"""`{% save_button "thread" thread %}`: a Save / Saved toggle (the thread page's own
button), drawn by `button.py`; the person's saved ids are read once per request.
Chat messages draw theirs in Python (circles/chat_html.py)."""

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from circles.http import csrf_input

from .. import selectors
from ..button import save_button_html

register = template.Library()


@register.simple_tag(takes_context=True)
def save_button(context, kind: str, item):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    keys = getattr(request, "_saved_keys", None)
    if keys is None:
        keys = request._saved_keys = selectors.saved_keys(user=user)
    return mark_safe(
        save_button_html(
            action=reverse("saved:list"),
            kind=kind,
            pk=item.pk,
            next_url=request.get_full_path(),
            csrf_input=csrf_input(context.get("csrf_token")),
            saved=(kind, item.pk) in keys,
        )
    )
