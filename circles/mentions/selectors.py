"""Mention reads: the circle's current members by display name."""

from ..models import Circle, Membership

SUGGESTIONS = 8


def member_names(*, circle: Circle) -> dict[str, object]:
    """{display name folded: user} of the circle's active members, one query."""
    memberships = Membership.objects.filter(
        circle=circle, state=Membership.State.ACTIVE, user__is_active=True
    ).select_related("user")
    return {m.user.display_name.casefold(): m.user for m in memberships}


def member_suggestions(*, circle: Circle, prefix: str, exclude_id=None) -> list[str]:
    """Display names of active members starting with (else containing) `prefix`."""
    names = Membership.objects.filter(
        circle=circle, state=Membership.State.ACTIVE, user__is_active=True
    ).exclude(user_id=exclude_id)
    names = list(
        names.filter(user__display_name__icontains=prefix)
        .order_by("user__display_name")
        .values_list("user__display_name", flat=True)[:50]
    )
    folded = prefix.casefold()
    names.sort(key=lambda n: (not n.casefold().startswith(folded), n.casefold()))
    return names[:SUGGESTIONS]
