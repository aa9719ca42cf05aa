from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

User = get_user_model()


def display_name_is_taken(*, display_name: str, exclude_user_id: int | None = None):
    qs = User.objects.filter(display_name__iexact=display_name.strip())
    if exclude_user_id:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


@transaction.atomic
def user_signup(*, username: str, display_name: str, password: str) -> User:
    display_name = " ".join(display_name.split())
    if display_name_is_taken(display_name=display_name):
        raise ValidationError({"display_name": "That display name is taken."})
    user = User(username=username, display_name=display_name)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
