"""The authorization matrix, continued: threads, posts, asks, moderation, safety
tools and the WebSocket, against every kind of visitor, in listed and private
circles."""

import pytest
from channels.db import database_sync_to_async

from circles.models import Post, Thread
from moderation.models import Flag

from ..circles.chat.ws import close_code, next_frame, open_socket, say
from .matrix_world import MODERATORS, READERS, VISITORS, add_content, build_world
from .test_authz_matrix import SEES_LISTED, SEES_PRIVATE, _row, answer_of

POSTERS = {"member", "moderator", "host"}  # staff read every circle but post in none


def rows(private: bool):
    sees = SEES_PRIVATE if private else SEES_LISTED
    seeing_non_readers = sees - READERS - {"anonymous"}
    anonymous_read = "404" if private else "403"
    return [
        (
            "GET",
            "/circles/{slug}/threads/new/",
            _row(private, _200=POSTERS, _403=READERS - POSTERS | seeing_non_readers),
        ),
        (
            "POST",
            "/circles/{slug}/threads/new/",
            _row(private, done=POSTERS, _403=READERS - POSTERS | seeing_non_readers),
        ),
        (
            "GET",
            "/circles/{slug}/threads/",
            _row(
                private, anonymous=anonymous_read, _200=READERS, _403=seeing_non_readers
            ),
        ),
        (
            "GET",
            "/circles/{slug}/threads/{thread}/",
            _row(
                private, anonymous=anonymous_read, _200=READERS, _403=seeing_non_readers
            ),
        ),
        (
            "GET",
            "/circles/{slug}/posts/{reply}/fragment/",
            _row(
                private, anonymous=anonymous_read, _200=READERS, _403=seeing_non_readers
            ),
        ),
        (  # issue 28: a post's reply page and its actions, without JavaScript
            "GET",
            "/circles/{slug}/posts/{reply}/reply/",
            _row(
                private,
                anonymous=anonymous_read,
                _200=POSTERS,
                _403=READERS - POSTERS | seeing_non_readers,
            ),
        ),
        (
            "GET",
            "/circles/{slug}/posts/{reply}/actions/",
            _row(
                private, anonymous=anonymous_read, _200=READERS, _403=seeing_non_readers
            ),
        ),
        (
            "GET",
            "/circles/{slug}/posts/{reply}/menu/",
            _row(
                private, anonymous=anonymous_read, _200=READERS, _403=seeing_non_readers
            ),
        ),
        (
            "GET",
            "/circles/{slug}/posts/{root}/edit/",
            _row(private, _403=READERS | seeing_non_readers),
        ),
        (
            "GET",
            "/circles/{slug}/posts/{reply}/delete/",
            _row(private, _200={"host"}, _403=READERS - {"host"} | seeing_non_readers),
        ),
        (
            "POST",
            "/circles/{slug}/threads/{thread}/reply/",
            _row(private, done=POSTERS, _403=READERS - POSTERS | seeing_non_readers),
        ),
        (
            "POST",
            "/circles/{slug}/posts/{root}/edit/",
            _row(private, _403=READERS | seeing_non_readers),
        ),
        (
            "POST",
            "/circles/{slug}/posts/{root}/delete/",
            _row(private, _403=READERS | seeing_non_readers),
        ),
        (
            "POST",
            "/circles/{slug}/posts/{reply}/helped/",
            _row(private, _403=READERS | seeing_non_readers),
        ),
        (
            "POST",
            "/circles/{slug}/not-ok/",
            _row(private, done=READERS, _403=seeing_non_readers),
        ),
        (
            "POST",
            "/circles/{slug}/slow-mode/",
            _row(private, done=MODERATORS, _403=READERS - MODERATORS),
        ),
        (
            "GET",
            "/circles/{slug}/moderation/",
            _row(
                private,
                anonymous="login" if not private else "404",
                _200=MODERATORS,
                _403=READERS - MODERATORS,
            ),
        ),
        (
            "POST",
            "/moderation/post/{reply}/remove/",
            _row(private, done=MODERATORS, _403=READERS - MODERATORS),
        ),
        (
            "POST",
            "/moderation/post/{reply}/dismiss/",
            _row(private, done=MODERATORS, _403=READERS - MODERATORS),
        ),
        (
            "POST",
            "/moderation/post/{reply}/warn/",
            _row(private, done=MODERATORS, _403=READERS - MODERATORS),
        ),
        (
            "POST",
            "/moderation/thread/{thread}/lock/",
            _row(private, done=MODERATORS, _403=READERS - MODERATORS),
        ),
        ("GET", "/moderation/flag/?kind=post&id={reply}", _row(private, _200=READERS)),
        (
            "POST",
            "/moderation/flag/",
            _row(private, done=READERS - {"host"}, _400={"host"}),
        ),
        ("GET", "/resources/", _row(private, anonymous="200", _200=set(VISITORS))),
        (
            "GET",
            "/moderation/",
            _row(private, _200={"staff"}, _403=set(VISITORS) - {"staff", "anonymous"}),
        ),
    ]


FORM = {
    "title": "A new thread",
    "body": "words",
    "kind": "discussion",
    "reason": "harmful",
    "seconds": "5",
    "note": "",
}
CELLS = [
    (private, method, url, visitor, row[visitor])
    for private in (False, True)
    for method, url, row in rows(private)
    for visitor in VISITORS
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "private,method,url,visitor,expected",
    CELLS,
    ids=[f"{'private' if c[0] else 'listed'}-{c[1]} {c[2]}-{c[3]}" for c in CELLS],
)
def test_matrix(client, private, method, url, visitor, expected):
    world = add_content(build_world(private=private))
    person = world["people"][visitor]
    if person is not None:
        client.force_login(person)
    ids = {
        "slug": world["circle"].slug,
        "thread": world["thread"].pk,
        "root": world["root"].pk,
        "reply": world["reply"].pk,
    }
    path = url.format(**ids)
    data = dict(FORM)
    if path == "/moderation/flag/":
        data.update(kind="post", id=world["reply"].pk)
    before = (Thread.objects.count(), Post.objects.count(), Flag.objects.count())
    response = client.get(path) if method == "GET" else client.post(path, data)
    assert answer_of(response) == expected
    if expected != "done":
        assert (
            Thread.objects.count(),
            Post.objects.count(),
            Flag.objects.count(),
        ) == before
        assert Post.objects.get(pk=world["reply"].pk).status == "visible"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize("visitor", VISITORS)
async def test_socket_matrix(private, visitor):
    """Connect: readers are let in, everyone else gets 4403. Send: posters' messages
    are stored and broadcast; muted members and staff get an error and stay."""
    world = await database_sync_to_async(
        lambda: add_content(build_world(private=private))
    )()
    person = world["people"][visitor]
    socket = await open_socket(person, world["circle"].slug)
    if visitor not in READERS:
        assert await close_code(socket) == 4403
        return
    await say(socket, "hello from the matrix", "matrix-1")
    if visitor in POSTERS:
        frame = await next_frame(socket, "chat.message")
        assert frame["message"]["client_id"] == "matrix-1"
    else:
        frame = await next_frame(socket, "error")
        assert frame["code"] == ("muted" if visitor == "muted" else "forbidden")
    await socket.send_json_to({"type": "chat.history", "before": 10**9})
    history = await next_frame(socket, "chat.history")
    assert any(m["body_html"] == "<p>matrix chat</p>" for m in history["messages"])
    await socket.send_json_to({"type": "typing"})
    await socket.disconnect()
