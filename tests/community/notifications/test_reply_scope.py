"""Finding 6 (issue 26), contract `notify_reply_scope`: by default (`direct`) replies
to my own posts come by email at once; other replies in my thread come in one email
per thread per hour at most; `all` sends every reply at once."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from circles.models import Post
from circles.threads import services as thread_services
from community.notifications import preferences
from community.outbox.models import OutboundEmail
from tests.factories import ThreadFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def busy(circle, member):
    member.email = "mira@example.org"
    member.email_verified_at = timezone.now()
    member.save()
    thread = ThreadFactory(circle=circle, author=member, title="Sleep")
    a, b = UserFactory(display_name="Ash"), UserFactory(display_name="Bo")
    add_member(circle, a)
    add_member(circle, b)
    first = thread_services.post_reply(author=a, thread=thread, body="Hi").post
    return thread, a, b, first


def emails_to(user):
    return list(OutboundEmail.objects.filter(user=user).order_by("send_after"))


def test_the_default_is_direct(member):
    assert preferences.reply_scope(member) == "direct"


def test_people_replying_to_each_other_make_one_email_an_hour(busy, member):
    thread, a, b, first = busy
    assert len(emails_to(member)) == 1  # a reply to her opening post: at once
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(minutes=1)):
        for i in range(6):  # Ash and Bo talk to each other in her thread
            author, parent = (b, first) if i % 2 == 0 else (a, None)
            parent = parent or Post.objects.filter(author=b).latest("pk")
            thread_services.post_reply(
                author=author, thread=thread, body=f"words {i}", parent_id=parent.pk
            )
    sent = emails_to(member)
    assert len(sent) == 3, [e.subject for e in sent]
    # The first in the thread goes at once; the rest wait for one email an hour later.
    later = sent[-1]
    assert later.subject == "Circles: more replies in your thread"
    assert later.send_after >= sent[-2].send_after + dt.timedelta(hours=1)
    assert "Ash" not in later.body and "Bo" not in later.body
    assert f"{thread.get_absolute_url()}" in later.body


def test_a_reply_to_my_own_post_is_never_grouped(busy, member):
    thread, a, b, first = busy
    mine = thread_services.post_reply(
        author=member, thread=thread, body="Thank you", parent_id=first.pk
    ).post
    for author in (a, b, a):
        thread_services.post_reply(
            author=author, thread=thread, body="to you", parent_id=mine.pk
        )
    # Three direct replies to her post plus the first: four emails at once.
    assert len(emails_to(member)) == 4


def test_every_reply_when_she_chooses_all(busy, member):
    thread, a, b, first = busy
    member.notify = {"reply": "instant", "reply_scope": "all"}
    member.save(update_fields=["notify"])
    for _ in range(3):
        thread_services.post_reply(
            author=b, thread=thread, body="to Ash", parent_id=first.pk
        )
    assert len(emails_to(member)) == 4


def test_the_choice_is_in_settings(client, member):
    client.force_login(member)
    html = client.get("/accounts/settings/").content.decode()
    assert 'name="notify_reply_scope"' in html
    assert "Every reply at once" in html
    data = {
        "display_name": member.display_name,
        "email": "",
        "allow_messages": "circle_members",
        "time_zone": "",
        "quiet_hours": "",
        "notify_reply": "instant",
        "notify_mention": "off",
        "notify_message": "off",
        "notify_membership": "off",
        "notify_reply_scope": "all",
    }
    assert client.post("/accounts/settings/", data).status_code == 302
    member.refresh_from_db()
    assert preferences.reply_scope(member) == "all"
