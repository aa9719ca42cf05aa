"""The home page's and log-in page's query budgets (issue 28): what every page pays
before its own rows, the same however many notifications, circles and
conversations the person has."""

import pytest

from community.notifications import services as notifications

from ..factories import CircleFactory, add_member
from ..query_budget import assert_budget

pytestmark = pytest.mark.django_db

# Logged in: the session; the user. (The header's unread notifications and
# private messages come from the cache.) Before issue 28: 4.
HOME_BUDGET = 2
# Logged out, the home page and the log-in page ask nothing.
VISITOR_BUDGET = 0


def grow(member):
    def add(n):
        for i in range(n):
            add_member(CircleFactory(), member)
            notifications.notification_send(
                recipient=member, kind="reply", text=f"a reply {i}"
            )

    return add


def test_the_home_page_keeps_its_query_budget(client, member):
    client.force_login(member)
    assert_budget(client, "/", HOME_BUDGET, grow=grow(member))


@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_a_visitor_page_keeps_its_query_budget(client, member, url):
    assert_budget(client, url, VISITOR_BUDGET, grow=grow(member))
