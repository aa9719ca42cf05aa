"""Personal safety reads."""

from django.db.models import Case, IntegerField, Value, When

from circles.models import Circle, Membership
from moderation.models import Ignore, SafetyItem


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


def people_sharing_a_circle_with(*, user):
    """Ids of people active in a circle where `user` is active: the people a person
    can see, and so may ignore (a subquery, not a list)."""
    mine = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "circle_id"
    )
    return Membership.objects.filter(
        circle_id__in=mine, state=Membership.State.ACTIVE
    ).values("user_id")


def safety_queue(*, circle) -> list[SafetyItem]:
    """Open safety items, danger first, then the longest waiting: one query."""
    return list(
        SafetyItem.objects.filter(circle=circle, resolved_at=None)
        .select_related("person", "picked_up_by")
        .annotate(
            danger_first=Case(
                When(level=SafetyItem.Level.DANGER, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("danger_first", "created_at", "id")
    )
