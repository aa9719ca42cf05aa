"""A thread page stays true while it is open (15.13): counts and an ask's waiting
state, edits and deletions arrive live in the same words a reload shows; the asker
reads their own wording, not the reminder meant for repliers (15.17)."""

import json

import pytest

from circles.threads import services as thread_services

from ...factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


def make_ask(circle, author, **extra):
    return thread_services.thread_create(
        author=author,
        circle=circle,
        title="Can someone listen",
        body="It has been a hard week.",
        kind="ask",
        needs=["listening"],
        reply_norm="listen_only",
        **extra,
    ).thread


def test_the_meta_line_follows_replies_for_live_pages(client, circle, member, host):
    ask = make_ask(circle, member)
    client.force_login(member)
    url = f"/circles/{circle.slug}/threads/{ask.pk}/meta/"
    html = client.get(url).content.decode()
    assert "0 replies" in html and "Waiting for a first reply" in html
    thread_services.post_reply(author=host, thread=ask, body="I am here.")
    html = client.get(url).content.decode()
    assert "1 reply" in html and "Replied to" in html and "Waiting" not in html


def test_the_meta_line_answers_as_the_thread_page_does(
    client, circle, member, outsider, host
):
    ask = make_ask(circle, member)
    client.force_login(outsider)
    meta = f"/circles/{circle.slug}/threads/{ask.pk}/meta/"
    assert (
        client.get(meta).status_code
        == client.get(ask.get_absolute_url()).status_code
        != 200
    )
    ask.status = "held"
    ask.save()
    other = UserFactory(display_name="Pat Peer")
    add_member(circle, other)
    client.force_login(other)
    assert client.get(meta).status_code == 404


def test_the_thread_page_carries_what_live_updates_replace(client, circle, member):
    ask = make_ask(circle, member)
    client.force_login(member)
    html = client.get(ask.get_absolute_url()).content.decode()
    assert 'id="thread-meta"' in html and 'id="reply-count"' in html
    assert 'id="ask-state"' in html


def test_a_deleted_post_fragment_never_names_its_author(client, circle, member, host):
    ask = make_ask(circle, member)
    post = thread_services.post_reply(author=host, thread=ask, body="gone").post
    thread_services.post_delete(author=host, post=post)
    client.force_login(member)
    html = client.get(f"/circles/{circle.slug}/posts/{post.pk}/fragment/").content
    html = html.decode()
    assert "A reply" in html and "Deleted by its author" in html
    assert "Hazel Host" not in html and "gone" not in html


def test_an_edit_is_announced_to_open_pages(
    circle, member, host, django_capture_on_commit_callbacks, monkeypatch
):
    from community import realtime

    sent = []
    monkeypatch.setattr(
        realtime, "_send", lambda group, event: sent.append((group, event)) or True
    )
    ask = make_ask(circle, member)
    post = thread_services.post_reply(author=host, thread=ask, body="first").post
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        thread_services.post_edit(author=host, post=post, body="second thoughts")
    frames = [json.loads(event["text"]) for _group, event in sent]
    assert {"type": "post.edited", "thread": ask.pk, "id": post.pk} in frames


def test_the_asker_reads_their_own_wording_not_the_repliers_reminder(
    client, circle, member, host
):
    ask = make_ask(circle, member)
    thread_services.post_reply(author=host, thread=ask, body="I hear you.")
    client.force_login(member)
    html = client.get(ask.get_absolute_url()).content.decode()
    assert "Mira Member asked to be heard" not in html
    assert "wants to be heard, not advised" not in html
    assert "you asked to be heard, not advised" in html
    client.force_login(host)
    html = client.get(ask.get_absolute_url()).content.decode()
    assert "Mira Member asked to be heard, not advised" in html
