"""The header's unread count comes from the cache (issue 28), per person, and stays
true: every way a notification is made or read changes it at once, and without the
cache the page still counts it."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from community import person_cache
from community.notifications import services, unread
from community.notifications.unread import unread_count_cached

from ...factories import UserFactory
from ...header_counts import DEAD_REDIS, badge

pytestmark = pytest.mark.django_db


def shown(client) -> int:
    return badge(client, "notification-count")


def notification_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return sum("notifications_notification" in q["sql"] for q in queries)


def send(user, n=1):
    for i in range(n):
        services.notification_send(recipient=user, kind="reply", text=f"note {i}")


def test_the_count_is_read_from_the_cache_once_counted(client, member, monkeypatch):
    send(member, 2)
    client.force_login(member)
    assert shown(client) == 2  # counted: the write's mark holds for a few seconds
    assert notification_queries(client) == 1  # so pages count afresh meanwhile
    monkeypatch.setattr(person_cache, "CHANGING_SECONDS", 0)  # writes only drop it
    send(member)
    assert shown(client) == 3  # counted and kept
    assert notification_queries(client) == 0
    assert shown(client) == 3


def test_a_new_notification_shows_at_once(client, member):
    client.force_login(member)
    assert shown(client) == 0
    send(member)
    assert shown(client) == 1
    send(member, 2)
    assert shown(client) == 3


def test_every_way_of_reading_lowers_it_at_once(client, member):
    client.force_login(member)
    send(member, 3)
    assert shown(client) == 3
    first = member.notifications.order_by("id").first()
    assert services.notification_open(user=member, notification_id=first.pk)
    assert shown(client) == 2
    services.notification_send(
        recipient=member, kind="reply", text="on a page", url="/circles/x/"
    )
    assert shown(client) == 3
    services.notifications_clear_seen(user=member, urls=["/circles/x/"])
    assert shown(client) == 2
    services.notifications_mark_read(user=member)
    assert shown(client) == 0


def test_each_person_has_their_own_count(client, member, host):
    send(member, 2)
    client.force_login(member)
    assert shown(client) == 2
    client.force_login(host)
    assert shown(client) == 0
    assert unread_count_cached(user=member) == 2


def test_a_count_read_before_a_write_commits_is_not_kept(monkeypatch):
    """A page that counted just before a write committed cannot store its old
    count: the write left a mark that `add` does not overwrite."""
    other = UserFactory()  # nothing kept for them yet
    real = unread.UNREAD.read

    def counted_before_the_commit(user_id):
        send(other)  # the write commits while this page is counting
        return 0

    monkeypatch.setattr(unread.UNREAD, "read", counted_before_the_commit)
    assert unread_count_cached(user=other) == 0  # this page saw the old count
    monkeypatch.setattr(unread.UNREAD, "read", real)
    assert unread_count_cached(user=other) == 1  # but it was not kept


def test_without_the_cache_the_page_counts_from_the_database(client, member):
    send(member, 2)
    client.force_login(member)
    with override_settings(CACHES=DEAD_REDIS):
        assert shown(client) == 2
        assert notification_queries(client) == 1
