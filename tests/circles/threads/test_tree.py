"""Deep and long threads: the stored depth is capped, any tree renders without
recursion at a constant query count, and a long thread is shown in parts."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles.models import Post, ThreadVisit
from circles.threads import selectors, tree
from circles.threads import services as thread_services

from ...factories import ThreadFactory

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def chain(thread, author, depth, *, start=None):
    """`depth` replies each under the last, written straight to the table the way old
    data (before the cap) holds them."""
    parent = start or thread.posts.get()
    made = []
    for _n in range(depth):
        parent = Post.objects.create(
            thread=thread,
            parent=parent,
            author=author,
            body="deep",
            body_html=f"<p>deep {parent.depth + 1}</p>",
            depth=parent.depth + 1,
        )
        made.append(parent)
    return made


def element(html, post_id):
    """The article's opening tag."""
    return re.search(rf'<article id="post-{post_id}"[^>]*>', html).group(0)


class _Nesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[int] = []
        self.holder: dict[int, int | None] = {}
        self.data_in: dict[int, str | None] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "article":
            return
        found = dict(attrs)
        pk = int(found["id"].removeprefix("post-"))
        self.holder[pk] = self.open[-1] if self.open else None
        self.data_in[pk] = found.get("data-in")
        self.open.append(pk)

    def handle_endtag(self, tag):
        if tag == "article":
            self.open.pop()


def nesting(html) -> _Nesting:
    """Which post's element holds each post's element (None: none on the page)."""
    parsed = _Nesting()
    parsed.feed(html)
    return parsed


def test_a_reply_past_the_cap_is_stored_at_the_cap_and_placed_in_the_deepest_ancestor(
    client, circle, member, host
):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Deep", body="root"
    ).thread
    parent_id, made = None, []
    for n in range(tree.MAX_DEPTH + 2):
        author = host if n % 2 == 0 else member
        post = thread_services.post_reply(
            author=author, thread=thread, body=f"level {n + 1}", parent_id=parent_id
        ).post
        made.append(post)
        parent_id = post.pk
    assert max(p.depth for p in Post.objects.filter(thread=thread)) == tree.MAX_DEPTH
    assert tree.MAX_DEPTH >= 5
    client.force_login(member)
    html = page(client, thread.get_absolute_url())
    capped, past = made[tree.MAX_DEPTH - 1], made[tree.MAX_DEPTH]
    # Up to the cap each reply is inside its parent's element.
    held = nesting(html).holder
    assert (
        held[made[3].pk] == made[2].pk and held[made[0].pk] == thread.posts.first().pk
    )
    assert held[past.pk] == held[capped.pk] == made[tree.MAX_DEPTH - 2].pk
    # Past it: beside its parent (not inside), with data-parent and whom it answers.
    tag = element(html, past.pk)
    assert f'data-parent="{capped.pk}"' in tag and "depth-capped" in tag
    between = html[html.index(f'id="post-{capped.pk}"') : html.index(tag)]
    assert "<article" not in between and between.count("</article>") == 1
    who = capped.author.display_name
    assert (
        f'<a class="replying-to" href="#post-{capped.pk}">replying to {who}</a>' in html
    )


def test_an_old_tree_75_deep_renders_for_everyone_without_recursion(
    client, circle, member, moderator
):
    thread = ThreadFactory(circle=circle, author=member)
    made = chain(thread, member, 75)
    for viewer in (member, moderator):
        client.force_login(viewer)
        html = page(client, thread.get_absolute_url())
        assert html.count("<article ") == 76 == html.count("</article>")
        assert "deep 75" in html
        assert "depth-5 depth-capped" in element(html, made[-1].pk)


def test_a_reply_to_a_deep_old_post_is_stored_at_the_cap(client, circle, member):
    thread = ThreadFactory(circle=circle, author=member)
    deepest = chain(thread, member, 40)[-1]
    client.force_login(member)
    client.post(
        f"/circles/{circle.slug}/threads/{thread.pk}/reply/",
        {"body": "still here", "parent": deepest.pk},
    )
    reply = Post.objects.get(body="still here")
    assert reply.parent == deepest and reply.depth == tree.MAX_DEPTH


def test_names_and_warnings_are_escaped_in_the_tree(client, circle, member, host):
    host.display_name = "<b>Hazel</b>"
    host.save()
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Esc", body="root"
    ).thread
    thread_services.post_reply(
        author=host, thread=thread, body="hi", content_warning='"><script>x()</script>'
    )
    client.force_login(member)
    html = page(client, thread.get_absolute_url())
    assert "<b>Hazel</b>" not in html and "&lt;b&gt;Hazel&lt;/b&gt;" in html
    assert "<script>x()" not in html


def _flat_thread(circle, author, replies):
    thread = ThreadFactory(circle=circle, author=author)
    root = thread.posts.get()
    now = timezone.now()
    parents = [root]
    posts = []
    for n in range(replies):
        parent = parents[(n * 7) % len(parents)]
        post = Post(
            thread=thread,
            parent=parent,
            author=author,
            body=f"r{n}",
            body_html=f"<p>r{n}</p>",
            depth=min(parent.depth + 1, tree.MAX_DEPTH),
        )
        post.save()
        Post.objects.filter(pk=post.pk).update(created_at=now + timedelta(seconds=n))
        parents.append(post)
        posts.append(post)
    return thread, posts


def test_a_long_thread_opens_with_the_first_part_and_shows_more_in_place(
    client, circle, member, monkeypatch
):
    monkeypatch.setattr(tree, "WHOLE_UP_TO", 20)
    monkeypatch.setattr(tree, "PART_SIZE", 10)
    thread, posts = _flat_thread(circle, member, 35)
    client.force_login(member)
    url = thread.get_absolute_url()
    html = page(client, url)
    assert html.count("<article ") == 11  # the opening post and 10 replies
    assert "Show 10 more replies" in html
    fragment_url = f"/circles/{circle.slug}/threads/{thread.pk}/part/1/"
    assert f'data-fragment="{fragment_url}"' in html
    fragment = page(client, fragment_url)
    assert fragment.count("<article ") == 10
    # Each post of the fragment is inside the element that holds it, or names it
    # (one already on the page).
    found = nesting(fragment)
    shape = tree.outline(
        Post.objects.filter(thread=thread).values_list("id", "parent_id")
    )
    for place in shape.part(1):
        within = found.holder[place.id]
        assert within == place.holder or (
            within is None and found.data_in[place.id] == str(place.holder)
        ), place
    assert any(within is None for within in found.holder.values())
    assert "/part/2/" in fragment
    last = page(client, f"/circles/{circle.slug}/threads/{thread.pk}/part/3/")
    assert last.count("<article ") == 5 and "Show" not in last
    assert (
        client.get(f"/circles/{circle.slug}/threads/{thread.pk}/part/4/").status_code
        == 404
    )


def test_a_link_to_a_post_renders_the_part_that_holds_it_with_its_ancestors(
    client, circle, member, monkeypatch
):
    monkeypatch.setattr(tree, "WHOLE_UP_TO", 20)
    monkeypatch.setattr(tree, "PART_SIZE", 10)
    thread, posts = _flat_thread(circle, member, 35)
    shape = tree.outline(
        Post.objects.filter(thread=thread).values_list("id", "parent_id")
    )
    target = shape.order[30].id
    client.force_login(member)
    html = page(client, f"{thread.get_absolute_url()}?post={target}")
    assert f'id="post-{target}"' in html
    # Its parent is on the page, and the target is inside its parent's element.
    parent = Post.objects.get(pk=target).parent
    assert f'id="post-{parent.pk}"' in html
    assert nesting(html).holder[target] == parent.pk
    assert "Show the earlier replies" in html
    assert html.count("</article>") == html.count("<article ")


def test_a_thread_page_query_count_is_the_same_for_every_part_and_length(
    client, circle, member, monkeypatch
):
    monkeypatch.setattr(tree, "WHOLE_UP_TO", 20)
    monkeypatch.setattr(tree, "PART_SIZE", 10)
    monkeypatch.setattr(selectors, "WHOLE_UP_TO", 20)
    small, _ = _flat_thread(circle, member, 5)
    medium, _ = _flat_thread(circle, member, 20)
    large, posts = _flat_thread(circle, member, 60)
    for thread in (small, medium, large):
        thread.reply_count = thread.posts.count() - 1
        thread.save(update_fields=["reply_count"])
    client.force_login(member)
    whole = [small.get_absolute_url(), medium.get_absolute_url()]
    parts = [
        large.get_absolute_url(),
        f"{large.get_absolute_url()}?part=4",
        f"{large.get_absolute_url()}?post={posts[-1].pk}",
    ]
    for url in whole + parts:
        page(client, url)  # warm: first visits write differently
    counts = {}
    for url in whole + parts:
        with CaptureQueriesContext(connection) as queries:
            page(client, url)
        counts[url] = len(queries)
    # A thread shown whole reads its posts with its shape; a long one reads the
    # posts of the part shown in one more query, whatever part and length.
    assert len({counts[url] for url in whole}) == 1, counts
    assert len({counts[url] for url in parts}) == 1, counts
    assert counts[whole[0]] + 1 == counts[parts[0]], counts


def test_new_since_your_last_visit_marks_the_replies_others_wrote(
    client, circle, member, host
):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Marks", body="root"
    ).thread
    old = thread_services.post_reply(author=host, thread=thread, body="seen").post
    client.force_login(member)
    html = page(client, thread.get_absolute_url())
    assert "since your last visit" not in html
    ThreadVisit.objects.update(seen_at=old.created_at)
    new = thread_services.post_reply(author=host, thread=thread, body="fresh").post
    mine = thread_services.post_reply(author=member, thread=thread, body="mine").post
    html = page(client, thread.get_absolute_url())
    assert "1 new reply since your last visit" in html
    assert f'href="?post={new.pk}#post-{new.pk}"' in html
    assert (
        "New since your last visit" in html[html.index(f'id="post-{new.pk}"') :][:600]
    )
    for post in (old, mine):
        assert " new" not in element(html, post.pk)
    # Opened now: the next view has nothing new.
    assert "since your last visit" not in page(client, thread.get_absolute_url())
