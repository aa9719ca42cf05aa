import os

import pytest
from django.conf import settings

from circles.chat.writers import close_writer_connections
from circles.models import Circle, Membership

from .factories import PASSWORD, CircleFactory, UserFactory, add_member

IN_CI = os.environ.get("CI", "").lower() == "true"


def need_service(name: str, present: bool) -> None:
    """A test that needs a real service fails under CI when it is missing, and is
    skipped on a laptop without it."""
    if present:
        return
    message = f"{name} is required for this test (set {name}_URL)"
    if IN_CI:
        pytest.fail(message + " and CI=true", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    need_service("REDIS", bool(url))
    return url


@pytest.fixture
def postgres():
    is_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    need_service("DATABASE", is_pg)
    return True


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def host(db):
    return UserFactory(display_name="Hazel Host")


@pytest.fixture
def circle(db, host):
    return CircleFactory(host=host, name="Morning Light", slug="morning-light")


@pytest.fixture
def member(db, circle):
    user = UserFactory(display_name="Mira Member")
    add_member(circle, user)
    return user


@pytest.fixture
def moderator(db, circle):
    user = UserFactory(display_name="Moss Moderator")
    add_member(circle, user, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(display_name="Otto Outsider")


@pytest.fixture
def staff(db):
    return UserFactory(display_name="Sam Staff", is_staff=True)


@pytest.fixture
def other_circle(db):
    return CircleFactory(name="Evening Tide", slug="evening-tide")


@pytest.fixture
def other_moderator(db, other_circle):
    user = UserFactory(display_name="Olive Othermod")
    add_member(other_circle, user, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def private_circle(db, host):
    return CircleFactory(
        host=host,
        name="Quiet Harbour",
        slug="quiet-harbour",
        visibility=Circle.Visibility.UNLISTED,
        join_policy=Circle.JoinPolicy.INVITE,
    )


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture(scope="session", autouse=True)
def _writer_connections_closed(django_db_setup):
    """Chat writer threads keep their connections (circles/chat/writers.py); they are
    closed before the test database is dropped."""
    yield
    close_writer_connections()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts from zero. So does
    this process's copy of the watched words (ids are reused between tests)."""
    from django.core.cache import cache

    from moderation.screening.selectors import forget_watched_words

    cache.clear()
    forget_watched_words()
    yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last (after pytest-django's own ordering): Playwright leaves an event loop running in this thread,
    and Django refuses synchronous database work beside it in later async tests."""
    items.sort(key=lambda item: "tests/e2e/" in str(item.fspath))
