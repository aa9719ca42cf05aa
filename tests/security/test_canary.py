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
        *(
            ("GET", f"/circles/{private_circle.slug}/posts/{post.pk}/{page}/")
            for page in ("reply", "actions", "menu", "edit", "delete")
        ),
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


# --- A deleted account's words (issue 25, item 1) ----------------------------------
GONE = "canary-gone-3d9a-c41e"
GONE_NAME = "Cora Wrenfield"  # her display name: others' mentions of her hold it


def _plant_words_of_someone_who_leaves(circle, host):
    """Cora writes everywhere; others mention her, react, reply and are emailed."""
    from django.utils import timezone

    from circles.reactions.models import Reaction
    from circles.saved.models import SavedItem
    from community.accounts.models import User
    from community.conversations import services as dm_services
    from community.outbox.models import OutboundEmail

    cora = UserFactory(display_name=GONE_NAME, allow_messages="circle_members")
    bea = UserFactory(display_name="Bea Stays", allow_messages="circle_members")
    for person in (cora, bea):
        add_member(circle, person)
    User.objects.filter(pk=host.pk).update(allow_messages="circle_members")
    thread = thread_services.thread_create(
        author=cora, circle=circle, title=f"Title {GONE}", body=f"Body {GONE}"
    ).thread
    theirs = thread_services.thread_create(
        author=host, circle=circle, title="Small wins", body="Share one"
    ).thread
    reply = thread_services.post_reply(
        author=cora, thread=theirs, body=f"Reply {GONE}"
    ).post
    thread_services.post_reply(
        author=host, thread=theirs, body=f"Thank you @{GONE_NAME}, that helped."
    )
    chat_services.chat_message_post(
        author=cora, circle=circle, body=f"Chat {GONE}", client_id="g1"
    )
    chat_services.chat_message_post(
        author=host, circle=circle, body=f"Welcome @{GONE_NAME}", client_id="g2"
    )
    talk = dm_services.message_start(
        sender=cora, recipient_id=bea.pk, body=f"Private {GONE}"
    ).message.conversation
    dm_services.dm_send(author=bea, conversation=talk, body="Bea's own answer")
    Reaction.objects.create(user=cora, post=reply, reaction="hear_you")
    SavedItem.objects.create(user=cora, thread=theirs)
    OutboundEmail.objects.create(
        key="canary-gone",
        purpose="notification",
        user=host,
        to_address="host@example.org",
        subject="A reply",
        body=f"{GONE_NAME} replied to your thread: Reply {GONE}",
        send_after=timezone.now(),
    )
    return {"cora": cora, "bea": bea, "thread": thread, "theirs": theirs, "talk": talk}


@pytest.mark.django_db(transaction=True)
def test_after_remove_a_deleted_persons_words_are_nowhere_others_reach(
    client, circle, host, moderator, staff
):
    from django.test import Client

    from circles.models import ChatMessage, Post
    from community.outbox.models import OutboundEmail

    from ..factories import PASSWORD

    world = _plant_words_of_someone_who_leaves(circle, host)
    leaving = Client()
    leaving.force_login(world["cora"])
    deleted = leaving.post(
        "/accounts/delete/", {"password": PASSWORD, "content": "remove"}
    )
    assert deleted.status_code == 200

    slug, talk = circle.slug, world["talk"]
    posts = Post.objects.filter(thread__circle=circle).values_list("pk", flat=True)
    urls = [
        f"/circles/{slug}/",
        f"/circles/{slug}/threads/",
        f"/circles/{slug}/threads/{world['thread'].pk}/",
        f"/circles/{slug}/threads/{world['theirs'].pk}/",
        *(
            f"/circles/{slug}/posts/{pk}/{page}/"
            for pk in posts
            for page in ("fragment", "reply", "actions", "menu")
        ),
        f"/circles/{slug}/members/",
        f"/circles/{slug}/moderation/",
        f"/circles/{slug}/search/?q=Wrenfield",
        f"/circles/{slug}/search/?q={GONE}",
        f"/search/?q={GONE}",
        "/search/?q=Wrenfield",
        "/messages/",
        f"/messages/{talk.pk}/",
        "/moderation/messages/",
        "/notifications/",
        "/saved/",
        "/accounts/export/",
        "/accounts/export/?format=html",
    ]
    for person in (world["bea"], host, moderator, staff):
        client.force_login(person)
        for url in urls:
            body = client.get(url).content.decode()
            if "/search/" in url:  # the page repeats the query: read the results
                body = body.partition('id="search-results"')[2].partition("</ol>")[0]
            assert GONE not in body, (person.display_name, url)
            assert GONE_NAME not in body, (person.display_name, url)
    queued = OutboundEmail.objects.filter(sent_at=None, cancelled_at=None)
    for email in queued:
        assert GONE not in email.subject + email.body
        assert GONE_NAME not in email.subject + email.body
    for model in (Post, ChatMessage):
        for text in model.objects.values_list("body", "body_html"):
            assert GONE not in "".join(text) and GONE_NAME not in "".join(text)


@pytest.mark.django_db(transaction=True)
async def test_after_remove_a_deleted_persons_words_reach_no_socket(circle, host):
    import json

    from channels.db import database_sync_to_async
    from django.test import Client

    from ..circles.chat.ws import drain, open_socket
    from ..community.conversations.ws import open_me, send_json
    from ..factories import PASSWORD

    world = await database_sync_to_async(_plant_words_of_someone_who_leaves)(
        circle, host
    )

    def delete():
        leaving = Client()
        leaving.force_login(world["cora"])
        leaving.post("/accounts/delete/", {"password": PASSWORD, "content": "remove"})

    await database_sync_to_async(delete)()
    circle_socket = await open_socket(host, circle.slug, after=0)
    me = await open_me(world["bea"], after=0)
    await send_json(me, {"type": "dm.history", "conversation": world["talk"].pk})
    frames = await drain(circle_socket) + await drain(me)
    assert frames, "the catch-up sent nothing at all"
    text = json.dumps(frames)
    assert GONE not in text and GONE_NAME not in text
    await circle_socket.disconnect()
    await me.disconnect()
