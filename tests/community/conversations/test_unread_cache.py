"""The header's count of conversations with an unread private message comes from
the cache (issue 28, community/person_cache.py), per person, and stays true: a
message sent or read changes both people's counts at once; without the cache the
page still counts it."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from community import person_cache
from community.conversations import services

from ...factories import UserFactory, add_member
from ...header_counts import DEAD_REDIS, badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def bea(circle, allow):
    user = UserFactory(display_name="Bea Member")
    add_member(circle, user)
    allow(user)
    return user


def shown(client) -> int:
    return badge(client, "dm-unread")


def conversation_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return sum("conversations_conversation" in q["sql"] for q in queries)


def test_a_message_shows_at_once_and_reading_it_clears_it(
    client, member, bea, no_dm_limit
):
    client.force_login(bea)
    assert shown(client) == 0
    talk = services.message_start(
        sender=member, recipient_id=bea.pk, body="hello"
    ).message.conversation
    assert shown(client) == 1
    services.dm_send(author=member, conversation=talk, body="again")
    assert shown(client) == 1  # one conversation, however many messages
    talk.refresh_from_db()
    services.conversation_mark_read(user=bea, conversation=talk)
    assert shown(client) == 0
    services.dm_send(author=member, conversation=talk, body="and again")
    assert shown(client) == 1
    talk.refresh_from_db()
    services.dm_send(author=bea, conversation=talk, body="my answer")
    assert shown(client) == 0  # answering is reading


def test_once_counted_the_count_is_read_from_the_cache(
    client, member, bea, monkeypatch
):
    monkeypatch.setattr(person_cache, "CHANGING_SECONDS", 0)  # writes drop it only
    services.message_start(sender=member, recipient_id=bea.pk, body="hello")
    client.force_login(bea)
    assert shown(client) == 1  # counted and kept
    assert conversation_queries(client) == 0
    client.force_login(member)
    assert shown(client) == 0  # each person has their own count


def test_without_the_cache_the_page_counts_from_the_database(client, member, bea):
    services.message_start(sender=member, recipient_id=bea.pk, body="hello")
    client.force_login(bea)
    with override_settings(CACHES=DEAD_REDIS):
        assert shown(client) == 1
        assert conversation_queries(client) == 1
