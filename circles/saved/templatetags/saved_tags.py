"""`{% save_button "post" post %}`: a Save / Saved toggle; the person's saved ids are
read once per request."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("saved/_button.html", takes_context=True)
def save_button(context, kind: str, item):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shown": False}
    keys = getattr(request, "_saved_keys", None)
    if keys is None:
        keys = request._saved_keys = selectors.saved_keys(user=user)
    return {
        "shown": True,
        "kind": kind,
        "item": item,
        "is_saved": (kind, item.pk) in keys,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
