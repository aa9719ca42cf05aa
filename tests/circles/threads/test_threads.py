"""Threads and nested replies as members see them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles.models import Post, PostRevision, Thread
from circles.threads import services as thread_services
from community import markup
from community.notifications.models import Notification
from community.ratelimit_config import Rate

from ...factories import PostFactory, ThreadFactory
from .test_query_budget import thread_query_budget

pytestmark = pytest.mark.django_db


def page(client, thread):
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_starts_a_thread_and_lands_on_it(client, circle, member):
    client.force_login(member)
    response = client.post(
        f"/circles/{circle.slug}/threads/new/",
        {
            "kind": "discussion",
            "title": "Trusting again",
            "body": "Where do I *start*?",
        },
    )
    thread = Thread.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == thread.get_absolute_url()
    )
    html = page(client, thread)
    assert "Trusting again" in html and "<em>start</em>" in html
    assert (
        f'href="/circles/{circle.slug}/threads/{thread.pk}/"'
        in client.get(circle.get_absolute_url()).content.decode()
    )


def test_a_bad_thread_form_keeps_the_text_and_says_why(client, circle, member):
    client.force_login(member)
    response = client.post(
        f"/circles/{circle.slug}/threads/new/",
        {"kind": "discussion", "title": "", "body": "my careful words"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "errorlist" in html and "my careful words" in html
    assert not Thread.objects.exists()


def test_replies_nest_inside_their_parents(client, circle, member, host):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Nesting", body="root"
    ).thread
    first = thread_services.post_reply(author=host, thread=thread, body="first").post
    child = thread_services.post_reply(
        author=member, thread=thread, body="child", parent_id=first.pk
    ).post
    client.force_login(member)
    response = client.post(
        f"/circles/{circle.slug}/threads/{thread.pk}/reply/",
        {"body": "grandchild", "parent": child.pk},
    )
    grandchild = Post.objects.get(body="grandchild")
    assert response["Location"].endswith(f"#post-{grandchild.pk}")
    html = page(client, thread)
    first_at = html.index(f'id="post-{first.pk}"')
    child_at = html.index(f'id="post-{child.pk}"')
    grandchild_at = html.index(f'id="post-{grandchild.pk}"')
    assert first_at < child_at < grandchild_at
    assert grandchild.depth == 3 and grandchild.parent == child


def test_deep_replies_stay_at_the_last_level_with_a_replying_to_line(
    client, circle, member, host
):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Deep", body="root"
    ).thread
    parent_id = None
    for n in range(7):
        author = host if n % 2 == 0 else member
        parent_id = thread_services.post_reply(
            author=author, thread=thread, body=f"level {n + 1}", parent_id=parent_id
        ).post.pk
    client.force_login(member)
    html = page(client, thread)
    deepest = Post.objects.get(pk=parent_id)
    assert deepest.depth == 5  # the stored depth is capped
    article = re.search(rf'<article id="post-{deepest.pk}" class="post ([^"]+)"', html)
    assert "depth-capped" in article.group(1)
    assert '<a class="replying-to" href="#post-' in html
    assert "replying to Mira Member</a>" in html


def test_an_edit_keeps_the_earlier_version_for_moderators_only(
    client, circle, member, moderator
):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Edits", body="first words"
    ).thread
    root = thread.posts.get()
    client.force_login(member)
    client.post(
        f"/circles/{circle.slug}/posts/{root.pk}/edit/", {"body": "second words"}
    )
    root.refresh_from_db()
    assert root.body == "second words" and root.edited_at
    assert PostRevision.objects.get(post=root).body == "first words"
    assert "Edit history" not in page(client, thread)
    client.force_login(moderator)
    html = page(client, thread)
    assert "Edit history" in html and "first words" in html


def test_only_the_author_can_edit_or_delete(client, circle, member, host):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Mine", body="mine"
    ).thread
    root = thread.posts.get()
    client.force_login(host)
    assert (
        client.post(
            f"/circles/{circle.slug}/posts/{root.pk}/edit/", {"body": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/circles/{circle.slug}/posts/{root.pk}/delete/").status_code
        == 403
    )
    root.refresh_from_db()
    assert root.body == "mine" and root.deleted_at is None


def test_deleting_keeps_the_tree(client, circle, member, host):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Tree", body="root"
    ).thread
    middle = thread_services.post_reply(
        author=member, thread=thread, body="to be deleted"
    ).post
    leaf = thread_services.post_reply(
        author=host, thread=thread, body="leaf stays", parent_id=middle.pk
    ).post
    client.force_login(member)
    client.post(f"/circles/{circle.slug}/posts/{middle.pk}/delete/")
    html = page(client, thread)
    assert "Deleted by its author" in html and "to be deleted" not in html
    assert html.index(f'id="post-{middle.pk}"') < html.index(f'id="post-{leaf.pk}"')
    assert "leaf stays" in html


def test_a_locked_thread_takes_no_replies(client, circle, member):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Locked", body="x"
    ).thread
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    client.force_login(member)
    response = client.post(
        f"/circles/{circle.slug}/threads/{thread.pk}/reply/", {"body": "hello"}
    )
    assert response.status_code == 400
    assert "locked" in response.content.decode()
    assert thread.posts.count() == 1


def test_content_warnings_keep_text_closed_until_opened(client, circle, member):
    thread = thread_services.thread_create(
        author=member,
        circle=circle,
        title="Heavy",
        body="the hard part",
        content_warning="abuse",
    ).thread
    client.force_login(member)
    html = page(client, thread)
    details = html[html.index('<details class="cw thread-cw">') :]
    assert details.index("Content warning: abuse") < details.index("the hard part")
    assert '<details class="cw thread-cw" open' not in html


def test_unread_marker_until_the_member_opens_the_thread(client, circle, member, host):
    thread = thread_services.thread_create(
        author=host, circle=circle, title="News", body="x"
    ).thread
    client.force_login(member)
    home = client.get(circle.get_absolute_url()).content.decode()
    assert 'class="thread-row unread"' in home
    page(client, thread)
    home = client.get(circle.get_absolute_url()).content.decode()
    assert 'class="thread-row unread"' not in home
    thread_services.post_reply(author=host, thread=thread, body="more")
    home = client.get(circle.get_absolute_url()).content.decode()
    assert 'class="thread-row unread"' in home


def test_thread_list_pages_newest_activity_first(
    client, circle, member, host, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "POST": Rate(1000, 60)}
    threads = [
        thread_services.thread_create(
            author=host, circle=circle, title=f"Topic {n}", body="x"
        ).thread
        for n in range(25)
    ]
    thread_services.post_reply(author=member, thread=threads[0], body="bump")
    client.force_login(member)
    first = client.get(f"/circles/{circle.slug}/threads/").content.decode()
    assert first.index("Topic 0<") < first.index("Topic 24<")
    second = client.get(f"/circles/{circle.slug}/threads/?page=2").content.decode()
    assert "Page 2 of 2" in second


def test_replies_notify_the_thread_and_post_authors_once(
    client, circle, member, host, moderator
):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Hello", body="x"
    ).thread
    reply = thread_services.post_reply(author=host, thread=thread, body="hi").post
    thread_services.post_reply(
        author=moderator, thread=thread, body="hi both", parent_id=reply.pk
    )
    assert Notification.objects.filter(recipient=member, kind="reply").count() == 2
    assert Notification.objects.filter(recipient=host, kind="reply").count() == 1
    assert not Notification.objects.filter(recipient=moderator).exists()
    client.force_login(member)
    assert (
        'id="notification-count" class="badge">2<'
        in client.get("/circles/").content.decode()
    )
    notes = client.get("/notifications/").content.decode()
    assert "Hazel Host replied to your thread" in notes
    client.post("/notifications/read/")
    assert (
        'id="notification-count" class="badge" hidden'
        in client.get("/circles/").content.decode()
    )


@pytest.mark.django_db(transaction=True)
async def test_a_reply_and_its_notification_are_pushed_live(circle, member, host):
    from channels.db import database_sync_to_async

    from ..chat.ws import drain, next_frame, of_type, open_socket

    thread = await database_sync_to_async(
        lambda: (
            thread_services.thread_create(
                author=member, circle=circle, title="Live", body="x"
            ).thread
        )
    )()
    socket = await open_socket(member, circle.slug)
    post = await database_sync_to_async(
        lambda: (
            thread_services.post_reply(author=host, thread=thread, body="reply").post
        )
    )()
    created = await next_frame(socket, "post.created")
    assert (created["id"], created["thread"]) == (post.pk, thread.pk)
    # The notification goes to /ws/me/ only (the contract's decision), not here.
    assert of_type(await drain(socket), "notification.created") == []
    await socket.disconnect()


def test_a_post_of_another_circle_is_not_found_here(
    client, circle, other_circle, member
):
    other = ThreadFactory(circle=other_circle, author=other_circle.host)
    client.force_login(member)
    assert client.get(f"/circles/{circle.slug}/threads/{other.pk}/").status_code == 404
    post = other.posts.get()
    assert (
        client.get(f"/circles/{circle.slug}/posts/{post.pk}/fragment/").status_code
        == 404
    )


def _thread_with(circle, author, replies: int):
    thread = ThreadFactory(circle=circle, author=author)
    parent = thread.posts.get()
    for n in range(replies):
        parent = PostFactory(
            thread=thread,
            author=author,
            parent=parent if n % 3 else thread.posts.first(),
        )
    return thread


def test_a_thread_page_costs_the_same_queries_for_10_and_500_posts(
    client, circle, member, moderator, monkeypatch
):
    small = _thread_with(circle, member, 10)
    large = _thread_with(circle, member, 500)

    def no_rendering(*args, **kwargs):
        raise AssertionError("markdown rendered on the read path")

    monkeypatch.setattr(markup, "render", no_rendering)
    for viewer in (member, moderator):
        client.force_login(viewer)
        page(client, small)  # first visits write differently: warm both
        page(client, large)
        counts = []
        for thread in (small, large):
            with CaptureQueriesContext(connection) as queries:
                html = page(client, thread)
            counts.append(len(queries))
        # The budget, the same for 10 posts and 500 (tests/circles/threads/
        # test_query_budget.py lists the queries).
        assert counts[0] == counts[1] <= thread_query_budget(viewer, moderator), counts
        assert html.count('class="post ') == 501


def test_the_circle_page_costs_the_same_queries_for_10_and_100_threads(
    client, circle, member
):
    client.force_login(member)
    counts = []
    for total in (10, 100):
        while circle.threads.count() < total:
            ThreadFactory(circle=circle, author=member)
        client.get(circle.get_absolute_url())  # warms what is kept in the cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(circle.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
