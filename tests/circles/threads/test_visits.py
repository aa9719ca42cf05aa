"""A member's visit to a thread (what is "new since your last visit") is written
only when the thread changed since their last visit, and the page marks
notifications read only when the person has some unread (issue 28: a page view
that changes nothing writes nothing)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles.models import ThreadVisit
from circles.threads import services
from community.notifications.services import notification_send

from ...factories import ThreadFactory

pytestmark = pytest.mark.django_db

NEW = "New since your last visit"


def visit(client, thread, at) -> tuple[str, list[str]]:
    with time_machine.travel(at, tick=False):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries]


def writes(queries, table: str) -> int:
    return sum(
        table in sql and sql.lstrip().upper().startswith(("INSERT", "UPDATE"))
        for sql in queries
    )


@pytest.fixture
def fresh(client, circle, member, host):
    """A thread started now by the host, and the member logged in to read it."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        thread = ThreadFactory(circle=circle, author=host)
    client.force_login(member)
    return start, thread


def test_a_visit_is_written_only_when_the_thread_changed_since_the_last(
    client, member, host, fresh
):
    start, thread = fresh
    _page, queries = visit(client, thread, start + timedelta(minutes=1))
    assert writes(queries, "threadvisit") == 1  # the first visit
    first = ThreadVisit.objects.get(thread=thread, user=member).seen_at
    _page, queries = visit(client, thread, start + timedelta(minutes=2))
    assert writes(queries, "threadvisit") == 0  # nothing happened since
    assert ThreadVisit.objects.get(thread=thread, user=member).seen_at == first

    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        services.post_reply(author=host, thread=thread, body="Thinking of you.")
    page, queries = visit(client, thread, start + timedelta(minutes=4))
    assert NEW in page  # written after the last visit that was kept
    assert writes(queries, "threadvisit") == 1
    page, queries = visit(client, thread, start + timedelta(minutes=5))
    assert NEW not in page and writes(queries, "threadvisit") == 0


def test_a_visit_soon_after_a_reply_is_written_in_case_it_committed_late(client, fresh):
    start, thread = fresh
    visit(client, thread, start + timedelta(seconds=2))
    _page, queries = visit(client, thread, start + timedelta(seconds=4))
    assert writes(queries, "threadvisit") == 1  # within VISIT_SKEW of the activity
    assert services.VISIT_SKEW >= timedelta(seconds=5)


def test_notifications_are_marked_read_only_when_some_are_unread(
    client, circle, member, host
):
    thread = ThreadFactory(circle=circle, author=host)
    client.force_login(member)
    later = timezone.now() + timedelta(minutes=1)
    _page, queries = visit(client, thread, later)  # counts them once, for the cache
    assert writes(queries, "notifications_notification") == 0
    _page, queries = visit(client, thread, later + timedelta(seconds=30))
    assert not any("notifications_notification" in sql for sql in queries)
    notification_send(
        recipient=member, kind="reply", text="A reply", url=thread.get_absolute_url()
    )
    _page, queries = visit(client, thread, later + timedelta(minutes=1))
    assert writes(queries, "notifications_notification") == 1
    assert not member.notifications.filter(read_at__isnull=True).exists()
