"""Private conversations' query budgets (issue 28): the list the same for 5
conversations as for 15, a conversation the same for 5 messages as for 15."""

import pytest

from community.conversations import services

from ...factories import UserFactory, add_member
from ...query_budget import assert_budget

pytestmark = pytest.mark.django_db

# The list: the session; the user; their conversations with the other person's
# name and the unread mark (one query). The header's counts come from the cache.
# Before issue 28: 5.
LIST_BUDGET = 3
# A conversation: the session; the user; the conversation; its messages (the
# notifications it points to are marked read when the person has any unread:
# one update). Before issue 28: 7 (the header's unread notifications and private
# messages, now from the cache).
CONVERSATION_BUDGET = 4


def test_the_conversation_list_keeps_its_query_budget(
    client, allow, no_dm_limit, circle, member
):
    allow(member)

    def grow(n):
        for i in range(n):
            someone = UserFactory()
            add_member(circle, someone)
            services.message_start(
                sender=someone, recipient_id=member.pk, body=f"hello {i}"
            )

    client.force_login(member)
    assert_budget(client, "/messages/", LIST_BUDGET, grow=grow)


def test_a_conversation_keeps_its_query_budget(
    client, allow, no_dm_limit, circle, member, host
):
    allow(member)
    talk = services.message_start(
        sender=host, recipient_id=member.pk, body="first"
    ).message.conversation

    def grow(n):
        for i in range(n):
            services.dm_send(
                author=host if i % 2 else member, conversation=talk, body=f"{i}"
            )

    client.force_login(member)
    assert_budget(client, f"/messages/{talk.pk}/", CONVERSATION_BUDGET, grow=grow)
