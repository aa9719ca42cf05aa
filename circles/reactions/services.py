"""Reaction writes: one toggle, permission first, told to open pages after commit."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from community import ratelimit, realtime
from moderation.safety.sensitive import sensitive_levels

from .. import permissions
from ..models import Circle
from . import events, selectors
from .models import Reaction

# Words that raised a crisis level take no reactions (a "Me too" under a plan).
NO_REACTIONS = "These words take no reactions. A reply is welcome instead."


@dataclass(frozen=True)
class Toggled:
    on: bool  # True: the reaction is now given; False: taken back
    counts: dict
    people: int


def reaction_toggle(
    *, user, circle: Circle, kind: str, item_id, reaction: str
) -> Toggled:
    """Give or take back one reaction of `user` on a post or chat message of
    `circle`. Raises Http404 for what the user may not see, PermissionDenied where
    reacting is not allowed, ValidationError for an unknown reaction, and
    RateLimited when too quick."""
    if kind not in selectors.KINDS:
        raise ValidationError("Reactions are for posts and chat messages.")
    item = selectors.item_in_circle(circle=circle, kind=kind, item_id=item_id)
    permissions.allow_react_to_item(user, item)
    if sensitive_levels(kind, [item.pk]):
        raise PermissionDenied(NO_REACTIONS)
    if reaction not in selectors.CHOICES:
        raise ValidationError("Choose one of the reactions offered.")
    ratelimit.hit_action("REACTION", str(user.pk))
    target = {kind: item}
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(
            user=user, reaction=reaction, **target
        ).delete()
        on = not deleted
        if on:
            try:
                with transaction.atomic():
                    Reaction.objects.create(user=user, reaction=reaction, **target)
            except IntegrityError:  # a double click raced us: it is given once
                pass
        entry = selectors.counts_for(kind=kind, ids=[item.pk])[item.pk]
        people = selectors.people_count(kind=kind, item_id=item.pk)
        realtime.broadcast_on_commit(
            realtime.circle_group(circle.pk),
            events.reaction_changed(
                kind=kind, item_id=item.pk, counts=entry["counts"], people=people
            ),
        )
    return Toggled(on=on, counts=entry["counts"], people=people)
