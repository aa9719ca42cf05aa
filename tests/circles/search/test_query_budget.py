"""Search's query budget (issue 28): the same for 5 matching posts and messages as
for 15, across the person's circles and within one."""

import pytest
from django.db import connection

from community.ratelimit_config import Rate

from ...factories import (
    ChatMessageFactory,
    CircleFactory,
    PostFactory,
    ThreadFactory,
    add_member,
)
from ...query_budget import assert_budget

pytestmark = pytest.mark.django_db

# Across circles: the session; the user; every membership and permission of the
# person (one query); the threads they may read; the matching threads, posts and
# messages (the header's counts and whom they ignore come from the cache). On
# PostgreSQL each kind is ranked by full text first (its ids), then read: two
# queries a kind where SQLite's icontains reads in one. Before issue 28: 12 on
# SQLite.
PER_KIND = 2 if connection.vendor == "postgresql" else 1
SITE_BUDGET = 4 + 3 * PER_KIND
# Within a circle: the circle as well.
CIRCLE_BUDGET = SITE_BUDGET + 1


@pytest.fixture(autouse=True)
def _searches_unlimited(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "SEARCH": Rate(1000, 60.0)}


def grow(circle, member):
    def add(n):
        for i in range(n):
            thread = ThreadFactory(circle=circle, author=member, title=f"Light {i}")
            PostFactory(thread=thread, author=member, body=f"morning light {i}")
            ChatMessageFactory(circle=circle, author=member, body=f"light {i}")
            elsewhere = CircleFactory()
            add_member(elsewhere, member)
            ThreadFactory(circle=elsewhere, author=member, title=f"Light there {i}")

    return add


def test_site_search_keeps_its_query_budget(client, circle, member):
    client.force_login(member)
    assert_budget(client, "/search/?q=light", SITE_BUDGET, grow=grow(circle, member))


def test_circle_search_keeps_its_query_budget(client, circle, member):
    client.force_login(member)
    assert_budget(
        client,
        f"/circles/{circle.slug}/search/?q=light",
        CIRCLE_BUDGET,
        grow=grow(circle, member),
    )
