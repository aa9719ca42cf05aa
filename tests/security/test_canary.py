"""Private circles leak nothing: not their content, not even their existence.

A unique canary string is planted in everything a private circle holds; no response
to anyone who may not read it contains the canary, and a circle one may not see
answers exactly like a circle that does not exist.
"""

import re

import pytest

from circles.chat import services as chat_services
from circles.threads import services as thread_services

from ..factories import UserFactory, add_member

pytestmark = pytest.mark.django_db

CANARY = "canary-7f3e9b1d-a6c2"
# Django masks its CSRF token differently in every response.
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

# Every URL under a circle, for pages and posts alike.
CIRCLE_URLS = [
    ("GET", "/circles/{slug}/"),
    ("GET", "/circles/{slug}/members/"),
    ("POST", "/circles/{slug}/join/"),
    ("POST", "/circles/{slug}/leave/"),
    ("GET", "/circles/{slug}/invite/not-the-token/"),
    ("POST", "/circles/{slug}/invite/reset/"),
    ("POST", "/circles/{slug}/members/{uid}/approve/"),
    ("POST", "/circles/{slug}/members/{uid}/role/"),
    ("POST", "/circles/{slug}/members/{uid}/mute/"),
    ("POST", "/circles/{slug}/members/{uid}/ban/"),
    ("POST", "/circles/{slug}/members/{uid}/unban/"),
]


def visitors(private_circle):
    banned = UserFactory()
    add_member(private_circle, banned, state="banned")
    left = UserFactory()
    add_member(private_circle, left, state="left")
    return {"outsider": UserFactory(), "banned": banned, "left": left}


@pytest.mark.parametrize("method,url", CIRCLE_URLS)
def test_a_hidden_circle_answers_like_one_that_does_not_exist(
    client, private_circle, member, method, url
):
    for name, person in visitors(private_circle).items():
        client.force_login(person)
        answers = []
        for slug in (private_circle.slug, "no-such-circle-here"):
            path = url.format(slug=slug, uid=member.pk)
            response = client.get(path) if method == "GET" else client.post(path, {})
            body = CSRF_VALUE.sub("", response.content.decode().replace(slug, "SLUG"))
            answers.append((response.status_code, body))
        assert answers[0] == answers[1], name
        assert answers[0][0] == 404, name


def test_the_canary_in_a_private_circle_never_reaches_outsiders(client, private_circle):
    private_circle.name = f"Harbour {CANARY}"
    private_circle.description = f"About {CANARY}"
    private_circle.guidelines = f"Rules {CANARY}"
    private_circle.save()
    for name, person in visitors(private_circle).items():
        client.force_login(person)
        for method, url in CIRCLE_URLS:
            path = url.format(slug=private_circle.slug, uid=person.pk)
            response = client.get(path) if method == "GET" else client.post(path, {})
            assert CANARY not in response.content.decode(), (name, path)
        listing = client.get("/circles/").content.decode()
        assert CANARY not in listing, name


def test_the_canary_in_private_threads_posts_and_chat_never_reaches_outsiders(
    client, private_circle, host
):

    thread = thread_services.thread_create(
        author=host,
        circle=private_circle,
        title=f"Title {CANARY}",
        body=f"Body {CANARY}",
    ).thread
    post = thread_services.post_reply(
        author=host, thread=thread, body=f"Reply {CANARY}"
    ).post
    message = chat_services.chat_message_post(
        author=host, circle=private_circle, body=f"Chat {CANARY}", client_id="c"
    ).message
    urls = [
        ("GET", f"/circles/{private_circle.slug}/threads/"),
        ("GET", f"/circles/{private_circle.slug}/threads/{thread.pk}/"),
        ("GET", f"/circles/{private_circle.slug}/posts/{post.pk}/fragment/"),
        ("GET", f"/moderation/flag/?kind=post&id={post.pk}"),
        ("GET", f"/moderation/flag/?kind=message&id={message.pk}"),
        ("GET", f"/moderation/flag/?kind=thread&id={thread.pk}"),
        ("POST", f"/circles/{private_circle.slug}/threads/{thread.pk}/reply/"),
        ("POST", f"/moderation/post/{post.pk}/remove/"),
        ("GET", f"/circles/{private_circle.slug}/moderation/"),
        ("GET", "/notifications/"),
        ("GET", "/asks/mine/"),
        ("GET", f"/admin/circles/post/{post.pk}/change/"),
        ("GET", "/admin/circles/chatmessage/"),
        ("GET", "/resources/"),
        ("GET", "/circles/"),
    ]
    for name, person in visitors(private_circle).items():
        client.force_login(person)
        for method, url in urls:
            response = (client.get if method == "GET" else client.post)(
                url, {"body": "x"}
            )
            body = response.content.decode()
            assert CANARY not in body, (name, url)
            assert response.status_code in (200, 302, 403, 404), (name, url)


@pytest.mark.django_db(transaction=True)
async def test_the_canary_never_reaches_an_outsiders_socket(private_circle, host):
    from channels.db import database_sync_to_async

    from ..circles.chat.ws import close_code, open_socket

    await database_sync_to_async(
        lambda: chat_services.chat_message_post(
            author=host, circle=private_circle, body=f"Chat {CANARY}", client_id="c"
        )
    )()
    outsider = await database_sync_to_async(UserFactory)()
    socket = await open_socket(outsider, private_circle.slug, after=0)
    assert await close_code(socket) == 4403  # closed before any data: no frame at all
