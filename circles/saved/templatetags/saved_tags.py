"""`{% save_button "post" post %}`: a Save / Saved toggle; the person's saved ids are
read once per request. A chat message's button names it ("message from Sam") for
people using a screen reader; in a live chat message (`chat_live`, drawn for every
reader at once) it is unsaved, and the chat script puts in the page's token."""

from django import template

from circles.models import message_url

from .. import selectors

register = template.Library()


def _label(kind: str, item) -> str:
    if kind == "message":
        return f"message from {item.author.display_name}"
    return ""


@register.inclusion_tag("saved/_button.html", takes_context=True)
def save_button(context, kind: str, item):
    if context.get("chat_live"):
        return {
            "shown": True,
            "kind": kind,
            "item": item,
            "is_saved": False,
            "next": message_url(context["circle"].slug, item.pk),
            "label": _label(kind, item),
        }
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
        "label": _label(kind, item),
    }
