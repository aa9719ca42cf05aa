import pytest

from community.ratelimit_config import Rate


@pytest.fixture
def cap_of(settings):
    """`cap_of(n)`: at most n sockets open at once per person."""

    def set_cap(count):
        settings.RATE_LIMITS = {
            **settings.RATE_LIMITS,
            "SOCKETS_PER_PERSON": Rate(count, None),
        }

    return set_cap
