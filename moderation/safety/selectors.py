"""Personal safety reads."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils import timezone

from circles.models import Circle, Membership
from community.person_cache import PersonCache
from moderation.models import Ignore, SafetyCase, SafetyItem


def _ignored(user_id: int) -> frozenset[int]:
    return frozenset(
        Ignore.objects.filter(user_id=user_id).values_list("ignored_id", flat=True)
    )


# Every page that shows people's words asks it: kept in the shared cache, forgotten
# by each write that changes it (services.ignore_add, ignore_remove, erasure).
IGNORED = PersonCache("moderation:ignored", _ignored)


def ignored_user_ids(*, user) -> set[int]:
    """People whose writing `user` chose to collapse, for themself alone."""
    if not user.is_authenticated:
        return set()
    return set(IGNORED.get(user.pk))


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


def safety_queue(*, circle, viewer, now=None) -> list[SafetyCase]:
    """Open cases of `circle` (None: staff cases), gravest first (danger, unsafe,
    concern), then the longest waiting, each with its items; never the viewer's own
    case. Two queries."""
    now = now or timezone.now()
    cases = list(
        SafetyCase.objects.filter(circle=circle, resolved_at=None)
        .exclude(person_id=viewer.pk)
        .select_related("person", "picked_up_by", "circle")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=SafetyItem.objects.order_by("created_at", "id"),
            )
        )
        .annotate(
            gravity=Case(
                When(level=SafetyCase.Level.DANGER, then=Value(0)),
                When(level=SafetyCase.Level.UNSAFE, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("gravity", "opened_at", "id")
    )
    for case in cases:
        case.held = case.held_at(now)
        case.item_list = list(case.items.all())
        case.first_item = case.item_list[0] if case.item_list else None
        case.misread = any(i.misread_at for i in case.item_list)
    return cases


def misread_count(*, circle, since) -> int:
    """Items whose authors said "I'm OK, that was misread": the crisis net's false
    alarms, for circle health."""
    return SafetyItem.objects.filter(
        circle=circle, misread_at__gte=since, source=SafetyItem.Source.WORDS
    ).count()


def _held_cases(*, circle, holder, now=None):
    now = now or timezone.now()
    lapse = timedelta(minutes=settings.SAFETY_PICKUP_MINUTES)
    return SafetyCase.objects.filter(
        circle=circle,
        resolved_at=None,
        picked_up_by=holder,
        holder_active_at__gt=now - lapse,
    ).exclude(person_id=holder.pk)


def people_held_by(*, circle, holder, now=None) -> set[int]:
    """Ids of the people of `circle` whose open case `holder` holds now. One query."""
    if not holder.is_authenticated:
        return set()
    cases = _held_cases(circle=circle, holder=holder, now=now)
    return set(cases.values_list("person_id", flat=True))


def items_held_by(*, circle, holder, kind: str, now=None) -> set[int]:
    """Ids of the `kind` items (chat messages, posts) in the open cases of `circle`
    that `holder` holds now: the words they may use care on. One query."""
    if not holder.is_authenticated:
        return set()
    cases = _held_cases(circle=circle, holder=holder, now=now)
    return set(
        SafetyItem.objects.filter(case__in=cases, kind=kind)
        .exclude(object_id=None)
        .values_list("object_id", flat=True)
    )
