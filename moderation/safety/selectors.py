"""Personal safety reads."""

from moderation.models import Ignore


def ignored_user_ids(*, user) -> set[int]:
    """People whose writing `user` chose to collapse, for themself alone."""
    if not user.is_authenticated:
        return set()
    return set(Ignore.objects.filter(user=user).values_list("ignored_id", flat=True))
