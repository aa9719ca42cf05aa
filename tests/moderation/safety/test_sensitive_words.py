"""Words that raised `danger` reach other members collapsed behind a neutral note;
words that raised any level take no reactions and are found only by their author
and the circle's keepers; titles that raised one are never quoted to others."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles import content_events
from circles.chat import selectors as chat_selectors
from circles.chat import services as chat_services
from circles.models import ChatMessage
from circles.search.selectors import search
from circles.threads import services as thread_services
from community.notifications.models import Notification
from moderation.safety.crisis import SENSITIVE_NOTE
from moderation.safety.sensitive import SENSITIVE_TITLE, sensitive_levels

pytestmark = pytest.mark.django_db

DANGER = "i have the pills counted out and i am going to take them all tonight"
CONCERN = "i feel like such a burden to everyone, they would be better off without me"


def level_of(text):
    from moderation.screening.crisis import crisis_level

    return crisis_level(text)


@pytest.fixture
def thread(circle, people):
    return thread_services.thread_create(
        author=people["host"], circle=circle, title="Evening", body="How are you?"
    ).thread


@pytest.fixture
def danger_reply(thread, people):
    assert level_of(DANGER) == "danger"
    return thread_services.post_reply(
        author=people["author"], thread=thread, body=DANGER
    ).post


def article(html: str, post_id: int) -> str:
    start = html.index(f'id="post-{post_id}"')
    end = html.find("<article", start + 1)
    return html[start : end if end > 0 else len(html)]


def page(client, user, thread):
    client.force_login(user)
    return client.get(thread.get_absolute_url()).content.decode()


def menu(client, user, post):
    """The post's menu, where its reaction buttons are."""
    client.force_login(user)
    url = f"/circles/{post.thread.circle.slug}/posts/{post.pk}/menu/"
    return client.get(url).content.decode()


def test_another_member_sees_danger_words_collapsed_with_lines_and_no_reactions(
    client, thread, danger_reply, people
):
    post = article(page(client, people["member"], thread), danger_reply.pk)
    assert 'data-sensitive="danger"' in post
    assert re.search(r"<details><summary>" + re.escape(SENSITIVE_NOTE), post)
    assert 'href="tel:' in post  # support lines for the reader
    assert DANGER in post  # one click to open: collapsed, not hidden
    assert "data-reaction-bar" not in post
    assert "Reply" in post or "reply" in post  # replies stay open
    assert "data-reaction-bar" not in menu(client, people["member"], danger_reply)


@pytest.mark.parametrize("who", ["author", "moderator", "host"])
def test_the_author_and_keepers_see_it_open(client, thread, danger_reply, people, who):
    post = article(page(client, people[who], thread), danger_reply.pk)
    assert "data-sensitive" not in post and DANGER in post
    assert "data-reaction-bar" not in menu(client, people[who], danger_reply)


def test_concern_is_not_collapsed_but_takes_no_reactions(client, thread, people):
    assert level_of(CONCERN) == "concern"
    reply = thread_services.post_reply(
        author=people["author"], thread=thread, body=CONCERN
    ).post
    post = article(page(client, people["member"], thread), reply.pk)
    assert "data-sensitive" not in post and "data-reaction-bar" not in post
    assert "data-reaction-bar" not in menu(client, people["member"], reply)


def test_a_calm_reply_keeps_its_reactions_and_names_the_post(client, thread, people):
    reply = thread_services.post_reply(
        author=people["author"], thread=thread, body="The garden looks lovely today"
    ).post
    items = menu(client, people["member"], reply)
    assert 'aria-label="Reactions to the post by Ari Author"' in items
    assert ", to the post by Ari Author</span>" in items


def test_a_reaction_to_sensitive_words_answers_403(
    client, circle, danger_reply, people
):
    client.force_login(people["member"])
    response = client.post(
        f"/circles/{circle.slug}/react/",
        {"kind": "post", "id": danger_reply.pk, "reaction": "me_too"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
    assert "no reactions" in response.json()["error"]


def test_levels_are_read_in_one_query(thread, danger_reply, people):
    calm = thread_services.post_reply(
        author=people["member"], thread=thread, body="hello"
    ).post
    with CaptureQueriesContext(connection) as queries:
        levels = sensitive_levels("post", [danger_reply.pk, calm.pk, 999999])
    assert levels == {danger_reply.pk: "danger"} and len(queries) == 1


def test_search_finds_them_only_for_the_author_and_keepers(
    thread, danger_reply, people
):
    assert not search(user=people["member"], text="pills")
    assert search(user=people["author"], text="pills")
    assert search(user=people["moderator"], text="pills")


def test_thread_lists_and_alerts_never_quote_a_title_that_raised_a_level(
    client, circle, people
):
    thread = thread_services.thread_create(
        author=people["author"], circle=circle, title="pills tonight", body=DANGER
    ).thread
    client.force_login(people["member"])
    listing = client.get(f"/circles/{circle.slug}/threads/").content.decode()
    assert SENSITIVE_TITLE in listing and "pills tonight" not in listing
    client.force_login(people["moderator"])
    assert (
        "pills tonight"
        in client.get(f"/circles/{circle.slug}/threads/").content.decode()
    )
    thread_services.post_reply(author=people["member"], thread=thread, body="I'm here")
    told = Notification.objects.get(recipient=people["author"], kind="reply")
    assert "pills" not in told.text and "a thread" in told.text


def test_chat_frames_carry_sensitive_and_reactable(circle, people):
    posted = chat_services.chat_message_post(
        author=people["author"], circle=circle, body=DANGER
    )
    payload = content_events.chat_message_payload(posted.message)
    assert payload["sensitive"] == "danger" and payload["reactable"] is False
    calm = chat_services.chat_message_post(
        author=people["author"], circle=circle, body="good morning"
    )
    page_of = chat_selectors.chat_messages(circle=circle)
    by_id = {m.pk: content_events.chat_message_payload(m) for m in page_of}
    assert by_id[posted.message.pk]["sensitive"] == "danger"
    assert by_id[calm.message.pk] == {**by_id[calm.message.pk], "sensitive": ""}
    assert by_id[calm.message.pk]["reactable"] is True


def test_the_chat_panel_collapses_a_danger_message_for_another_member(
    client, circle, people
):
    chat_services.chat_message_post(author=people["author"], circle=circle, body=DANGER)
    message = ChatMessage.objects.get(body=DANGER)
    client.force_login(people["member"])
    html = client.get(circle.get_absolute_url()).content.decode()
    li = html[html.index(f'data-message-id="{message.pk}"') :]
    li = li[: li.index("</li>")]
    assert 'data-sensitive="danger"' in li and SENSITIVE_NOTE in li
    assert "data-reaction-bar" not in li
    # Live messages come drawn by the server (their `html`): the page keeps only the
    # collapse the script wraps around sensitive words for this reader.
    assert (
        'id="sensitive-template"' in html and 'id="reaction-bar-template"' not in html
    )
    client.force_login(people["moderator"])
    html = client.get(circle.get_absolute_url()).content.decode()
    li = html[html.index(f'data-message-id="{message.pk}"') :]
    assert "data-sensitive" not in li[: li.index("</li>")]


def test_the_thread_page_never_quotes_a_title_that_raised_a_level_to_others(
    client, circle, people
):
    thread = thread_services.thread_create(
        author=people["author"], circle=circle, title="pills tonight", body=DANGER
    ).thread
    url = thread.get_absolute_url()
    client.force_login(people["member"])
    page = client.get(url).content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert SENSITIVE_TITLE in h1 and SENSITIVE_TITLE in title
    assert "pills tonight" not in h1 and "pills tonight" not in title
    for who in ("author", "moderator"):
        client.force_login(people[who])
        page = client.get(url).content.decode()
        assert "pills tonight" in re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
        assert "pills tonight" in re.search(r"<title>(.*?)</title>", page, re.S).group(
            1
        )


def test_an_ordinary_thread_page_keeps_its_title(client, circle, people):
    thread = thread_services.thread_create(
        author=people["author"], circle=circle, title="Sunday walk", body="Who is in?"
    ).thread
    client.force_login(people["member"])
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Sunday walk" in re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert SENSITIVE_TITLE not in page


def test_a_danger_message_coming_back_stays_collapsed_and_takes_no_reactions(
    circle, people, monkeypatch
):
    from circles.models import ContentStatus
    from moderation import content

    posted = chat_services.chat_message_post(
        author=people["author"], circle=circle, body=DANGER
    ).message
    frames = []
    monkeypatch.setattr(
        content.realtime,
        "broadcast_on_commit",
        lambda group, event, **kw: frames.append(event),
    )
    message = content.content_get("message", posted.pk)  # fresh, as a view reads it
    content.content_set_status(message, ContentStatus.VISIBLE)
    content.broadcast_back(message)
    content.broadcast_approved(content.content_get("message", posted.pk))
    restored, approved = frames
    assert restored["type"] == "chat.restored" and approved["type"] == "chat.message"
    for frame in frames:
        message = json.loads(frame["text"])["message"]
        assert message["reactable"] is False and message["sensitive"] == "danger"
