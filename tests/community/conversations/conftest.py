import pytest

from community.accounts.models import User
from community.conversations import rules
from community.ratelimit_config import Rate

HAS_SETTING = any(f.name == "allow_messages" for f in User._meta.get_fields())


@pytest.fixture
def allow(monkeypatch):
    """`allow(user)`: that person allows messages from people who share a circle.

    Until the settings page adds `allow_messages` to the user, the rule reads a set
    kept here; afterwards the real field is written.
    """
    allowed: set[int] = set()
    if not HAS_SETTING:
        monkeypatch.setattr(rules, "allows_messages", lambda user: user.pk in allowed)

    def do(user):
        if HAS_SETTING:
            User.objects.filter(pk=user.pk).update(allow_messages="circle_members")
            user.refresh_from_db()
        else:
            allowed.add(user.pk)

    return do


@pytest.fixture
def no_dm_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "DM": Rate(10000, 60.0)}
