"""The settings page's query budget (issue 28): the same however many circles and
notifications the person has."""

import pytest

from community.notifications import services as notifications

from ...factories import CircleFactory, add_member
from ...query_budget import assert_budget

pytestmark = pytest.mark.django_db

# The session; the user; whether they have an open `unsafe` case (discreet email
# is then on by force). The header's counts come from the cache. Before issue
# 28: 5.
SETTINGS_BUDGET = 3


def test_the_settings_page_keeps_its_query_budget(client, member):
    def grow(n):
        for i in range(n):
            add_member(CircleFactory(), member)
            notifications.notification_send(
                recipient=member, kind="reply", text=f"a reply {i}"
            )

    client.force_login(member)
    assert_budget(client, "/accounts/settings/", SETTINGS_BUDGET, grow=grow)
