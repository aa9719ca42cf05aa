from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from . import registry
from .names import display_name_skeleton, normalise_display_name

User = get_user_model()

NAME_TAKEN = "That display name is taken."
NAME_TOO_CLOSE = (
    "That name is too close to another member's name: it would look the same, or "
    "almost, on the screen. Please choose a name that looks different."
)


def display_name_conflict(
    *, display_name: str, exclude_user_id: int | None = None
) -> str | None:
    """Why this name cannot be used, in words, or None. The same name in any case
    is taken; one that looks like an active member's (same confusables skeleton) is
    too close. Neither says whose."""
    name = normalise_display_name(display_name)
    if name.casefold() == registry.FORMER.casefold():
        return NAME_TAKEN  # what every deleted account is shown as
    same = User.objects.filter(display_name__iexact=name)
    close = User.objects.filter(
        display_name_skeleton=display_name_skeleton(name), is_active=True
    )
    if exclude_user_id:
        same = same.exclude(pk=exclude_user_id)
        close = close.exclude(pk=exclude_user_id)
    if same.exists():
        return NAME_TAKEN
    if close.exists():
        return NAME_TOO_CLOSE
    return None


def display_name_is_taken(*, display_name: str, exclude_user_id: int | None = None):
    return (
        display_name_conflict(
            display_name=display_name, exclude_user_id=exclude_user_id
        )
        is not None
    )


@transaction.atomic
def user_signup(*, username: str, display_name: str, password: str) -> User:
    display_name = normalise_display_name(display_name)
    problem = display_name_conflict(display_name=display_name)
    if problem:
        raise ValidationError({"display_name": problem})
    user = User(username=username, display_name=display_name)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
