"""Personal safety reads."""

from circles.models import Circle, Membership
from moderation.models import Ignore


def ignored_user_ids(*, user) -> set[int]:
    """People whose writing `user` chose to collapse, for themself alone."""
    if not user.is_authenticated:
        return set()
    return set(Ignore.objects.filter(user=user).values_list("ignored_id", flat=True))


def moderators_of(*, circle: Circle) -> list:
    """The circle's active hosts and moderators (the people its alerts go to)."""
    return [
        m.user
        for m in Membership.objects.filter(
            circle=circle,
            state=Membership.State.ACTIVE,
            role__in=[Membership.Role.HOST, Membership.Role.MODERATOR],
        ).select_related("user")
    ]
