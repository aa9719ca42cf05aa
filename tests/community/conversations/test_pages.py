"""The pages of private conversations: what each person sees, at a fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.conversations import rules, selectors, services
from community.conversations.models import DirectMessageReport

from ...factories import UserFactory, add_member
from ...query_budget import settled_counts

pytestmark = pytest.mark.django_db

CRISIS = "I want to kill myself tonight"


@pytest.fixture
def bea(circle):
    user = UserFactory(display_name="Bea Member")
    add_member(circle, user)
    return user


@pytest.fixture
def talk(allow, circle, member, bea):
    allow(bea)
    return services.message_start(
        sender=member, recipient_id=bea.pk, body="first words"
    ).message.conversation


def test_the_list_marks_unread_and_opening_reads(login, talk, bea, member):
    client = login(bea)
    page = client.get("/messages/").content.decode()
    assert 'id="conversations"' in page
    assert f'href="/messages/{talk.pk}/"' in page
    assert "Mira Member" in page and "unread" in page
    assert selectors.unread_count(user=bea) == 1
    detail = client.get(f"/messages/{talk.pk}/").content.decode()
    message = talk.messages.get()
    assert f'id="dm-{message.pk}"' in detail and "first words" in detail
    assert selectors.unread_count(user=bea) == 0
    assert selectors.unread_count(user=member) == 0  # one's own words are read


def test_messages_are_oldest_first_with_a_report_form_for_the_others_only(
    login, talk, bea, member
):
    services.dm_send(author=bea, conversation=talk, body="second words")
    page = login(bea).get(f"/messages/{talk.pk}/").content.decode()
    assert page.index("first words") < page.index("second words")
    assert page.count(f'action="/messages/{talk.pk}/report/"') == 1
    assert 'id="dm-form"' in page and f'action="/messages/{talk.pk}/close/"' in page


def test_the_conversation_page_costs_the_same_for_many_messages(
    no_dm_limit, login, talk, bea, member, django_assert_max_num_queries
):
    client = login(bea)
    client.get(f"/messages/{talk.pk}/")
    services.dm_send(author=member, conversation=talk, body="unread")  # marks read
    with CaptureQueriesContext(connection) as few:
        client.get(f"/messages/{talk.pk}/")
    for n in range(30):
        services.dm_send(
            author=member if n % 2 else bea, conversation=talk, body=f"{n}"
        )
    with django_assert_max_num_queries(len(few)):
        client.get(f"/messages/{talk.pk}/")


def test_the_list_costs_the_same_for_many_conversations(
    login, allow, circle, bea, django_assert_max_num_queries
):
    allow(bea)
    client = login(bea)
    client.get("/messages/")
    with CaptureQueriesContext(connection) as few:
        client.get("/messages/")
    budget = len(few)  # now: later requests empty the connection's log
    # Settled: right after a notification her pages count it once more for a few
    # seconds (tests/query_budget.py); the request after the writes counts it anew.
    with settled_counts():
        for n in range(10):
            someone = UserFactory()
            add_member(circle, someone)
            services.message_start(sender=someone, recipient_id=bea.pk, body=f"hi {n}")
        client.get("/messages/")
    with django_assert_max_num_queries(budget):
        assert client.get("/messages/").content.decode().count("/messages/") >= 10


def test_sending_by_form_and_refusals_keep_the_text(login, talk, bea, member):
    client = login(bea)
    response = client.post(f"/messages/{talk.pk}/send/", {"body": "by form"})
    assert (
        response.status_code == 302 and response["Location"] == f"/messages/{talk.pk}/"
    )
    response = client.post(f"/messages/{talk.pk}/send/", {"body": "x" * 4001})
    assert response.status_code == 400
    assert "4,000" in response.content.decode()
    assert "x" * 4001 in response.content.decode()
    client.post(f"/messages/{talk.pk}/close/")
    response = client.post(f"/messages/{talk.pk}/send/", {"body": "after close"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "closed, so nothing was sent" in page and "after close" in page
    assert talk.messages.count() == 2


def test_crisis_words_by_form_show_a_true_card_at_the_top(login, talk, bea):
    client = login(bea)
    page = client.post(
        f"/messages/{talk.pk}/send/", {"body": CRISIS}, follow=True
    ).content.decode()
    assert 'id="crisis-resources"' in page
    assert 'data-level="danger"' in page and 'data-posted="visible"' in page
    assert "Mira Member can read it now" in page
    assert page.index('id="crisis-resources"') < page.index("<h1")
    again = client.get(f"/messages/{talk.pk}/").content.decode()
    assert 'id="crisis-resources"' not in again  # shown once, on the next page


def test_the_check_in_form_on_the_members_page(login, circle, moderator, member):
    page = login(moderator).get(f"/circles/{circle.slug}/members/").content.decode()
    assert f'action="/circles/{circle.slug}/members/{member.pk}/check-in/"' in page
    page = login(member).get(f"/circles/{circle.slug}/members/").content.decode()
    assert "/check-in/" not in page


def test_send_a_message_shows_only_where_allowed(login, allow, circle, member, bea):
    page = login(member).get(f"/circles/{circle.slug}/members/").content.decode()
    assert f'action="/members/{bea.pk}/message/"' not in page
    allow(bea)
    page = login(member).get(f"/circles/{circle.slug}/members/").content.decode()
    assert f'action="/members/{bea.pk}/message/"' in page


def test_a_check_in_by_form_lands_on_the_conversation(login, circle, moderator, member):
    response = login(moderator).post(
        f"/circles/{circle.slug}/members/{member.pk}/check-in/",
        {"body": "Just checking in"},
    )
    conversation = services.Conversation.objects.get()
    assert response["Location"] == f"/messages/{conversation.pk}/"
    response = login(moderator).post(
        f"/circles/{circle.slug}/members/{member.pk}/check-in/", {"body": "  "}
    )
    assert response.status_code == 400
    assert "Write something" in response.content.decode()


def test_staff_read_only_the_reported_message_and_its_neighbours(
    no_dm_limit, login, talk, bea, member, staff
):
    for n in range(1, 12):
        services.dm_send(
            author=member if n % 2 else bea, conversation=talk, body=f"line-{n:02d}"
        )
    reported = talk.messages.get(body="line-06")
    services.dm_report(reporter=member, message_id=reported.pk, reason="harassment")
    page = login(staff).get("/moderation/messages/").content.decode()
    shown = {n for n in range(1, 12) if f"line-{n:02d}" in page}
    assert shown == {3, 4, 5, 6, 7, 8, 9}
    assert "first words" not in page
    report = DirectMessageReport.objects.get()
    assert f'id="dm-report-{report.pk}"' in page
    login(staff).post(f"/moderation/messages/{report.pk}/resolve/")
    page = login(staff).get("/moderation/messages/").content.decode()
    assert "line-06" not in page


def test_the_staff_queue_costs_the_same_for_many_reports(
    no_dm_limit, login, talk, bea, member, staff, django_assert_max_num_queries
):
    client = login(staff)
    first = services.dm_send(author=bea, conversation=talk, body="r0").message
    services.dm_report(reporter=member, message_id=first.pk, reason="spam")
    with CaptureQueriesContext(connection) as few:
        client.get("/moderation/messages/")
    for n in range(8):
        m = services.dm_send(author=bea, conversation=talk, body=f"r{n + 1}").message
        services.dm_report(reporter=member, message_id=m.pk, reason="spam")
    with django_assert_max_num_queries(len(few)):
        client.get("/moderation/messages/")


def test_the_members_page_does_not_reveal_who_ignores_you(
    login, allow, circle, member, bea
):
    from moderation.models import Ignore

    allow(bea)
    Ignore.objects.create(user=bea, ignored=member)
    client = login(member)
    page = client.get(f"/circles/{circle.slug}/members/").content.decode()
    assert f'action="/members/{bea.pk}/message/"' in page  # the form stays
    response = client.post(f"/members/{bea.pk}/message/", {"body": "hello"})
    assert response.status_code == 403
    assert rules.REFUSED.replace("'", "&#x27;") in response.content.decode()
    # one's own ignore is one's own to see
    Ignore.objects.all().delete()
    Ignore.objects.create(user=member, ignored=bea)
    page = client.get(f"/circles/{circle.slug}/members/").content.decode()
    assert f'action="/members/{bea.pk}/message/"' not in page


def test_a_check_in_card_without_javascript_says_who_knows(
    login, circle, moderator, member
):
    from html import unescape

    conversation = services.check_in_start(
        actor=moderator, circle=circle, member=member, body="How are you?"
    ).message.conversation
    page = login(member).post(
        f"/messages/{conversation.pk}/send/", {"body": CRISIS}, follow=True
    )
    page = unescape(page.content.decode())
    assert 'id="crisis-resources"' in page
    assert (
        f"The hosts and moderators of {circle.name} know that you may need support, "
        "not what you wrote." in page
    )
    assert "The site's staff have been told" not in page
