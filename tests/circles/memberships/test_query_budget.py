"""The directory's query budget (issue 28): the same for 5 listed circles as for 15,
logged in (with circles of one's own) or not."""

import pytest

from ...factories import CircleFactory, add_member
from ...query_budget import assert_budget

pytestmark = pytest.mark.django_db

# Logged in: the session; the user; the listed circles; the person's own circles;
# their memberships' states in both (the header's counts come from the cache).
# Before issue 28: 7.
MEMBER_BUDGET = 5
# Logged out: the listed circles alone.
VISITOR_BUDGET = 1


def grow(member):
    def add(n):
        for _ in range(n):
            mine = CircleFactory()
            if member is not None:
                add_member(mine, member)
            CircleFactory()

    return add


def test_the_directory_keeps_its_query_budget(client, member):
    client.force_login(member)
    assert_budget(client, "/circles/", MEMBER_BUDGET, grow=grow(member))


def test_the_directory_keeps_its_query_budget_for_a_visitor(client, db):
    assert_budget(client, "/circles/", VISITOR_BUDGET, grow=grow(None))
