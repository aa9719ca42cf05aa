"""No dead ends (issue 26): where "Send a message" is missing because the person
takes no private messages, a sentence says so; the messages page says who may write
to you and where to start. An ignore stays secret: someone who ignores the viewer
still shows the form."""

from html import unescape

import pytest

from moderation.models import Ignore
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


def member_row(page: str, user) -> str:
    start = page.index(f'data-user-id="{user.pk}"')
    return page[start : page.index("</li>", start)]


@pytest.fixture
def wren(circle):
    user = UserFactory(display_name="Wren Writer")
    add_member(circle, user)
    return user


def test_a_person_who_takes_no_messages_says_so_where_the_button_would_be(
    client, circle, member, wren, allow
):
    client.force_login(member)
    page = client.get(f"/circles/{circle.slug}/members/").content.decode()
    row = unescape(member_row(page, wren))
    assert "Send a message" not in row
    assert "Wren Writer doesn't take private messages." in row
    allow(wren)
    row = member_row(
        client.get(f"/circles/{circle.slug}/members/").content.decode(), wren
    )
    assert "Send a message" in row and "doesn't take private messages" not in row


def test_being_ignored_stays_secret(client, circle, member, wren, allow):
    allow(wren)
    Ignore.objects.create(user=wren, ignored=member)
    client.force_login(member)
    row = member_row(
        client.get(f"/circles/{circle.slug}/members/").content.decode(), wren
    )
    assert "Send a message" in row and "doesn't take" not in row


def test_moderators_check_in_whatever_the_setting(client, circle, moderator, wren):
    client.force_login(moderator)
    row = member_row(
        client.get(f"/circles/{circle.slug}/members/").content.decode(), wren
    )
    assert "Check in privately" in row and "doesn't take" not in row


def test_the_messages_page_says_who_may_write_to_you(client, member, allow):
    client.force_login(member)
    page = unescape(client.get("/messages/").content.decode())
    assert 'id="who-may-write"' in page
    assert "only your circles' hosts and moderators" in page
    assert "/accounts/settings/" in page
    allow(member)
    page = client.get("/messages/").content.decode()
    assert "members who share a circle with you" in page
