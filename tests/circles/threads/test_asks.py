"""Asks: practising asking for help, from the composer to "this helped"."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from circles.models import Thread
from circles.threads import services as thread_services
from community.notifications.models import Notification

pytestmark = pytest.mark.django_db

ASK = {
    "kind": "ask",
    "title": "I feel like I do not deserve support",
    "body": "I keep handling everything alone.",
    "needs": ["listening", "perspective"],
    "reply_norm": "listen_only",
}


def make_ask(circle, author, **extra):
    fields = {k: v for k, v in ASK.items()} | extra
    return thread_services.thread_create(author=author, circle=circle, **fields).thread


def test_the_composer_guides_the_person(client, circle, member):
    client.force_login(member)
    html = client.get(f"/circles/{circle.slug}/threads/new/?kind=ask").content.decode()
    for words in (
        "What is going on?",
        "What would help?",
        "How would you like people to reply?",
        "Just listen",
        "Content warning",
        "Asking is a skill",
    ):
        assert words in html


def test_an_ask_needs_what_would_help_and_how_to_reply(client, circle, member):
    client.force_login(member)
    response = client.post(
        f"/circles/{circle.slug}/threads/new/", {**ASK, "needs": [], "reply_norm": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose at least one thing that would help" in html
    assert ASK["body"] in html  # nothing lost
    response = client.post(f"/circles/{circle.slug}/threads/new/", ASK)
    thread = Thread.objects.get()
    assert response["Location"] == thread.get_absolute_url()
    assert thread.is_ask and thread.needs == ["listening", "perspective"]
    assert thread.reply_norm == "listen_only"


def test_a_listen_only_ask_reminds_repliers_before_they_write(
    client, circle, member, host
):
    ask = make_ask(circle, member)
    client.force_login(host)
    html = client.get(ask.get_absolute_url()).content.decode()
    reminder = html.index("asked to be heard, not advised")
    assert reminder < html.index('name="body"')


def test_the_lifecycle_open_replied_helped(client, circle, member, host):
    ask = make_ask(circle, member)
    client.force_login(member)
    home = client.get(circle.get_absolute_url()).content.decode()
    waiting = home[home.index('id="waiting-asks"') :]
    assert ASK["title"] in waiting.split("</section>")[0]
    thread_services.post_reply(author=member, thread=ask, body="adding a detail")
    ask.refresh_from_db()
    assert ask.first_reply_at is None  # the asker's own words are not a reply
    reply = thread_services.post_reply(author=host, thread=ask, body="I hear you.").post
    ask.refresh_from_db()
    assert ask.first_reply_at is not None and ask.answered_at is None
    home = client.get(circle.get_absolute_url()).content.decode()
    assert (
        ASK["title"]
        not in home[home.index('id="waiting-asks"') :].split("</section>")[0]
    )
    response = client.post(f"/circles/{circle.slug}/posts/{reply.pk}/helped/")
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.helped_post == reply and ask.answered_at
    client.force_login(host)
    html = client.get(ask.get_absolute_url()).content.decode()
    assert "This helped" in html
    assert Notification.objects.filter(recipient=host, text__contains="helped").exists()


def test_only_the_asker_marks_what_helped(client, circle, member, host, moderator):
    ask = make_ask(circle, member)
    reply = thread_services.post_reply(author=host, thread=ask, body="Try this.").post
    client.force_login(moderator)
    assert (
        client.post(f"/circles/{circle.slug}/posts/{reply.pk}/helped/").status_code
        == 403
    )
    ask.refresh_from_db()
    assert ask.helped_post is None


def test_an_ask_waiting_too_long_is_highlighted_and_nudges_members_once(
    client, circle, member, host, moderator, settings
):
    settings.ASK_NUDGE_AFTER_HOURS = 12
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ask = make_ask(circle, member)
    with time_machine.travel(start + timedelta(hours=11), tick=False):
        call_command("asks_nudge_overdue")
        assert not Notification.objects.filter(kind="ask_waiting").exists()
    with time_machine.travel(start + timedelta(hours=13), tick=False):
        call_command("asks_nudge_overdue")
        call_command("asks_nudge_overdue")
        nudged = Notification.objects.filter(kind="ask_waiting")
        assert sorted(n.recipient_id for n in nudged) == sorted([host.pk, moderator.pk])
        client.force_login(host)
        home = client.get(circle.get_absolute_url()).content.decode()
        assert "still waiting: could you reply?" in home
    ask.refresh_from_db()
    assert ask.nudged_at is not None


def test_an_ask_replied_in_time_is_never_nudged(circle, member, host):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ask = make_ask(circle, member)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        thread_services.post_reply(author=host, thread=ask, body="Here with you.")
    with time_machine.travel(start + timedelta(hours=30), tick=False):
        assert thread_services.asks_nudge_overdue() == 0


def test_my_asks_page_is_private_and_counts_how_it_went(client, circle, member, host):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        answered = make_ask(circle, member, title="First ask ever")
        make_ask(circle, member, title="Second ask")
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        reply = thread_services.post_reply(
            author=host, thread=answered, body="I hear you"
        ).post
        thread_services.ask_mark_helped(user=member, post=reply)
    client.force_login(member)
    html = client.get("/asks/mine/").content.decode()
    assert "First ask ever" in html and "Second ask" in html
    assert "<dd>2</dd>" in html and "<dd>1</dd>" in html and "30 minutes" in html
    client.force_login(host)
    assert "First ask ever" not in client.get("/asks/mine/").content.decode()
