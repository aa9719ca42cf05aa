"""The circle page's query budget (issue 28): the same for 5 threads, messages and
asks as for 15, for a member and for a moderator."""

import pytest

from circles import permissions
from circles.models import Membership, Thread

from ..factories import ChatMessageFactory, PostFactory, ThreadFactory
from ..query_budget import assert_budget

pytestmark = pytest.mark.django_db

# A member on the circle page: the circle; the session; the user; every membership
# and permission of theirs (one query); the circle's active and waitlisted
# members; the latest 50 chat messages; their crisis levels; the recent threads
# and the asks still waiting; the sidebar's recent titles; whom "I'm not OK"
# would tell; the chat messages' reactions; what they saved. (The header's unread
# notifications and private messages, whom the member ignores and the library's
# revision come from the cache.) Before issue 28: 21.
MEMBER_BUDGET = 13
# A moderator also reads the cases they hold (two queries: the people, the items).
MODERATOR_BUDGET = MEMBER_BUDGET + 2


def grow(circle, author):
    def add(n):
        for i in range(n):
            thread = ThreadFactory(circle=circle, author=author, title=f"Week {i}")
            PostFactory(thread=thread, author=author)
            ThreadFactory(circle=circle, author=author, kind=Thread.Kind.ASK)
            ChatMessageFactory(circle=circle, author=author)

    return add


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.MODERATOR])
def test_the_circle_page_keeps_its_query_budget(client, circle, member, host, role):
    Membership.objects.filter(circle=circle, user=member).update(role=role)
    budget = MEMBER_BUDGET if role == Membership.Role.MEMBER else MODERATOR_BUDGET
    permissions.grant_role(user=member, circle=circle, role=role)
    client.force_login(member)
    assert_budget(client, circle.get_absolute_url(), budget, grow=grow(circle, host))
