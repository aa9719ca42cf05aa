"""The crisis card says who was actually told (issue 23): the circle's moderators,
or, when the person is its only host or moderator, the site's staff; and never that
someone was told when there was no one to tell."""

import html as html_lib
import re

import pytest

from circles.threads import services as thread_services
from community.notifications.models import Notification
from moderation.safety.cases import alert_audience

from ...circles.chat.ws import next_frame, open_socket, say

pytestmark = pytest.mark.django_db

WORDS = "honestly i want to kill myself tonight"


def said(response) -> str:
    page = response.content.decode()
    match = re.search(r'<p class="crisis-said">([^<]*)</p>', page)
    assert match, "no crisis card"
    return html_lib.unescape(match.group(1))


def test_a_member_hears_the_moderators_were_told(client, circle, member, host):
    client.force_login(member)
    text = said(client.post(f"/circles/{circle.slug}/not-ok/", follow=True))
    assert "The circle's moderators have been told quietly" in text
    assert "staff" not in text
    assert Notification.objects.filter(recipient=host, kind="safety").exists()


def test_the_only_host_hears_the_sites_staff_were_told(client, circle, host, staff):
    assert alert_audience(circle=circle, person=host) == "staff"
    client.force_login(host)
    text = said(client.post(f"/circles/{circle.slug}/not-ok/", follow=True))
    assert "moderators have been told" not in text
    assert "no other host or moderator" in text
    assert "the site's staff have been told quietly" in text
    assert Notification.objects.filter(recipient=staff, kind="safety").exists()
    # Pressed again within the alert cap: true about that too.
    text = said(client.post(f"/circles/{circle.slug}/not-ok/", follow=True))
    assert "staff were told a little while ago" in text


def test_with_no_one_to_tell_the_card_does_not_say_anyone_was(client, circle, host):
    assert alert_audience(circle=circle, person=host) == "nobody"
    client.force_login(host)
    text = said(client.post(f"/circles/{circle.slug}/not-ok/", follow=True))
    assert "have been told" not in text and "were told" not in text
    assert "no one else has been told" in text


def test_a_moderator_with_another_keeper_hears_the_moderators(circle, moderator, host):
    assert alert_audience(circle=circle, person=moderator) == "moderators"
    assert alert_audience(circle=circle, person=host) == "moderators"


def test_the_only_hosts_crisis_reply_says_staff(client, circle, host, staff):
    thread = thread_services.thread_create(
        author=host, circle=circle, title="Evening", body="How is everyone?"
    ).thread
    client.force_login(host)
    text = said(
        client.post(
            f"/circles/{circle.slug}/threads/{thread.pk}/reply/",
            {"body": WORDS},
            follow=True,
        )
    )
    assert "the site's staff have been told quietly" in text
    assert "moderators have been told" not in text


@pytest.mark.django_db(transaction=True)
async def test_the_only_hosts_chat_card_says_staff(circle, host, staff):
    socket = await open_socket(host, circle.slug)
    await say(socket, WORDS, "c-1")
    frame = await next_frame(socket, "crisis")
    assert "the site's staff have been told quietly" in frame["text"]
    assert "moderators have been told" not in frame["html"]
    await socket.disconnect()


def test_the_help_beside_the_button_says_whom_it_tells(client, circle, host, staff):
    client.force_login(host)
    page = html_lib.unescape(client.get(circle.get_absolute_url()).content.decode())
    help_text = re.search(r'id="not-ok-help-chat" class="help">([^<]*)<', page).group(1)
    assert "a private note to the site's staff" in help_text
    assert "circle's moderators" not in help_text


def test_a_members_help_says_the_moderators(client, circle, member):
    client.force_login(member)
    page = html_lib.unescape(client.get(circle.get_absolute_url()).content.decode())
    help_text = re.search(r'id="not-ok-help-top" class="help">([^<]*)<', page).group(1)
    assert "a private note to this circle's moderators" in help_text
