"""Saving an item for oneself: a toggle, private to the person."""

from django.db import IntegrityError, transaction
from django.http import Http404

from .. import permissions
from . import selectors
from .models import SavedItem


def saved_toggle(*, user, kind: str, item_id) -> bool:
    """Save the thread, post or message, or unsave it if saved; True when saved now.
    Saving raises Http404 for anything the user may not see (exactly as for a
    missing id); unsaving one's own row is always allowed, even once the item is
    out of reach, so the list can be tidied."""
    if kind not in selectors.MODELS:
        raise Http404("No such item.")
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise Http404("No such item.") from None
    if not 0 < item_id < 2**63:
        raise Http404("No such item.")
    with transaction.atomic():
        deleted, _ = SavedItem.objects.filter(
            user=user, **{f"{kind}_id": item_id}
        ).delete()
        if deleted:
            return False
        item = selectors.item_for(kind=kind, item_id=item_id)
        permissions.allow_save_item(user, item)
        try:
            with transaction.atomic():
                SavedItem.objects.create(user=user, **{kind: item})
        except IntegrityError:  # a double click raced us: saved once
            pass
    return True
