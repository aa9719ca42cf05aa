"""Search finds what the searcher may read, ranked, with escaped excerpts and links
to the exact post or message; and never anything else (the canary)."""

import re

import pytest
from django.db import connection
from django.utils import timezone

from circles.models import Circle, ContentStatus, Membership
from circles.search import selectors
from community.ratelimit_config import Rate
from moderation.models import Ignore

from ...factories import (
    ChatMessageFactory,
    CircleFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.django_db
CANARY = "zebracanary"


def found(user, text, circle=None):
    return [
        (r.kind, r.id) for r in selectors.search(user=user, text=text, circle=circle)
    ]


def test_finds_thread_titles_posts_and_chat_messages_with_links(circle, member, host):
    thread = ThreadFactory(circle=circle, author=host, title="Gardening on hard days")
    post = PostFactory(thread=thread, author=host, body="My gardening keeps me steady.")
    message = ChatMessageFactory(circle=circle, author=host, body="gardening tomorrow?")
    results = {
        (r.kind, r.id): r for r in selectors.search(user=member, text="gardening")
    }
    assert ("thread", thread.pk) in results
    assert results[("post", post.pk)].url == (
        f"/circles/{circle.slug}/threads/{thread.pk}/#post-{post.pk}"
    )
    assert results[("message", message.pk)].url == (
        f"/circles/{circle.slug}/?message={message.pk}"
    )
    assert "<mark>" in str(results[("post", post.pk)].excerpt).lower()


def test_excerpts_are_escaped_around_the_marks(circle, member, host):
    ChatMessageFactory(
        circle=circle, author=host, body='<img src=x onerror="alert(1)"> lantern here'
    )
    (result,) = selectors.search(user=member, text="lantern", circle=circle)
    html = str(result.excerpt)
    # SQLite escapes the tag; PostgreSQL's parser drops it: never markup either way.
    assert "<" not in re.sub("</?mark>", "", html)
    assert "<mark>lantern</mark>" in html


def test_a_content_warning_keeps_the_words_out_of_the_excerpt(circle, member, host):
    thread = ThreadFactory(circle=circle, author=host)
    PostFactory(
        thread=thread,
        author=host,
        body="hard memories of the flood",
        content_warning="loss",
    )
    (result,) = [
        r for r in selectors.search(user=member, text="flood") if r.kind == "post"
    ]
    assert "memories" not in str(result.excerpt)
    assert "Content warning: loss" in str(result.excerpt)


def _canary_world(circle, member, host):
    """The canary word everywhere the member may not read, and once where they may."""
    hidden = CircleFactory(
        visibility=Circle.Visibility.UNLISTED, join_policy=Circle.JoinPolicy.INVITE
    )
    ChatMessageFactory(circle=hidden, body=f"{CANARY} hidden circle chat")
    ThreadFactory(circle=hidden, title=f"{CANARY} hidden thread")
    left = CircleFactory()
    add_member(left, member, state=Membership.State.LEFT)
    ChatMessageFactory(circle=left, body=f"{CANARY} left circle")
    banned = CircleFactory()
    add_member(banned, member, state=Membership.State.BANNED)
    PostFactory(thread=ThreadFactory(circle=banned), body=f"{CANARY} banned circle")
    thread = ThreadFactory(circle=circle, author=host, title="Ordinary title")
    for status in (ContentStatus.REMOVED, ContentStatus.HELD, ContentStatus.HIDDEN):
        PostFactory(
            thread=thread, author=host, body=f"{CANARY} {status} post", status=status
        )
        ChatMessageFactory(
            circle=circle, author=host, body=f"{CANARY} {status} chat", status=status
        )
        ThreadFactory(
            circle=circle, author=host, title=f"{CANARY} {status} thread", status=status
        )
    PostFactory(
        thread=thread,
        author=host,
        body=f"{CANARY} deleted post",
        deleted_at=timezone.now(),
    )
    removed_thread = ThreadFactory(
        circle=circle, author=host, status=ContentStatus.REMOVED
    )
    PostFactory(
        thread=removed_thread, author=host, body=f"{CANARY} in a removed thread"
    )
    ignored = UserFactory(display_name="Ivy Ignored")
    add_member(circle, ignored)
    Ignore.objects.create(user=member, ignored=ignored)
    PostFactory(thread=thread, author=ignored, body=f"{CANARY} ignored member post")
    ChatMessageFactory(
        circle=circle, author=ignored, body=f"{CANARY} ignored member chat"
    )
    # The member's own held words are still held: not found either.
    ChatMessageFactory(
        circle=circle,
        author=member,
        body=f"{CANARY} my held",
        status=ContentStatus.HELD,
    )
    return ChatMessageFactory(
        circle=circle, author=host, body=f"{CANARY} the one visible"
    )


def test_the_canary_is_never_found_where_the_searcher_may_not_read(
    client, circle, member, host
):
    visible = _canary_world(circle, member, host)
    assert found(member, CANARY) == [("message", visible.pk)]
    assert found(member, CANARY, circle=circle) == [("message", visible.pk)]
    client.force_login(member)
    for url in ("/search/", f"/circles/{circle.slug}/search/"):
        page = client.get(url, {"q": CANARY}).content.decode()
        assert page.count(CANARY) == 2, url  # the one result, and the query in the box
        assert (
            "hidden" not in page.replace('type="hidden"', "").split("search-results")[1]
        )


def test_site_search_covers_all_my_circles_only(circle, member, host, other_circle):
    add_member(other_circle, member)
    mine = ChatMessageFactory(circle=other_circle, body="quartz in the other circle")
    not_mine = CircleFactory()
    ChatMessageFactory(circle=not_mine, body="quartz in a listed circle I never joined")
    assert found(member, "quartz") == [("message", mine.pk)]


def test_staff_search_their_own_circles_site_wide(staff, circle, host):
    ChatMessageFactory(circle=circle, author=host, body="opal words")
    assert found(staff, "opal") == []


def test_a_constant_number_of_queries(
    circle, member, host, django_assert_max_num_queries
):
    thread = ThreadFactory(circle=circle, author=host, title="river")
    for n in range(15):
        PostFactory(thread=thread, author=host, body=f"river {n}")
        ChatMessageFactory(circle=circle, author=host, body=f"river talk {n}")
    # Circles (2), ignores (1), the circles this person keeps (1: words that raised
    # a crisis level are found only by their author and keepers), thread ids (1),
    # then per kind one query (two on PostgreSQL).
    with django_assert_max_num_queries(11):
        results = selectors.search(user=member, text="river")
        assert [r.url for r in results]
    assert len(results) == 20


@pytest.mark.parametrize("who", ["outsider", "other_moderator", "banned", "left"])
def test_a_hidden_circle_search_answers_404(
    client, private_circle, who, outsider, other_moderator
):
    person = {"outsider": outsider, "other_moderator": other_moderator}.get(who)
    if person is None:
        person = UserFactory()
        add_member(private_circle, person, state=who)
    client.force_login(person)
    assert (
        client.get(f"/circles/{private_circle.slug}/search/", {"q": "x"}).status_code
        == 404
    )
    assert client.get("/circles/no-such-circle/search/", {"q": "x"}).status_code == 404


def test_an_outsider_of_a_listed_circle_is_refused(login, circle, outsider):
    response = login(outsider).get(f"/circles/{circle.slug}/search/", {"q": "x"})
    assert response.status_code == 403


def test_search_pages_need_a_log_in(client, circle):
    assert client.get("/search/", {"q": "x"}).status_code == 302
    assert client.get(f"/circles/{circle.slug}/search/").status_code == 302


def test_the_page_lists_results_in_order(login, circle, member, host):
    message = ChatMessageFactory(
        circle=circle, author=host, body="a willow by the water"
    )
    page = login(member).get(f"/circles/{circle.slug}/search/", {"q": "willow"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="search-results"' in html
    assert f'href="/circles/{circle.slug}/?message={message.pk}"' in html


def test_searching_is_rate_limited(login, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "SEARCH": Rate(2, 60.0)}
    client = login(member)
    assert client.get("/search/", {"q": "a"}).status_code == 200
    assert client.get("/search/", {"q": "b"}).status_code == 200
    limited = client.get("/search/", {"q": "c"})
    assert limited.status_code == 429
    assert "searching very quickly" in limited.content.decode()


def test_an_empty_or_huge_query_is_harmless(login, member):
    client = login(member)
    assert client.get("/search/", {"q": "   "}).status_code == 200
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200


def test_postgres_uses_the_gin_indexes(postgres, circle, member, host):
    ChatMessageFactory(circle=circle, author=host, body="meadows and rivers")
    post = PostFactory(thread=ThreadFactory(circle=circle, author=host), body="meadows")
    assert ("post", post.pk) in found(member, "meadow")  # English stemming
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM circles_chatmessage WHERE "
            "to_tsvector('english'::regconfig, COALESCE(body, '')) "
            "@@ websearch_to_tsquery('english'::regconfig, 'meadow')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "search_message_body_gin" in plan


def test_postgres_websearch_syntax(postgres, circle, member, host):
    keep = ChatMessageFactory(circle=circle, author=host, body="quiet lake at dawn")
    ChatMessageFactory(circle=circle, author=host, body="quiet lake at dusk")
    assert found(member, '"quiet lake" -dusk') == [("message", keep.pk)]


def test_postgres_ranks_a_very_common_word_among_its_newest_matches(
    postgres, circle, member, host, monkeypatch, login
):
    monkeypatch.setattr(selectors, "CANDIDATES", 3)
    made = [
        ChatMessageFactory(circle=circle, author=host, body=f"walnut {n}")
        for n in range(5)
    ]
    results = selectors.search(user=member, text="walnut", circle=circle)
    assert results.capped
    assert {r.id for r in results} == {m.pk for m in made[-3:]}
    page = login(member).get(f"/circles/{circle.slug}/search/", {"q": "walnut"})
    assert "ranked among the newest matches" in page.content.decode()


def test_hostile_queries_come_back_as_text(login, circle, member):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    for url in ("/search/", f"/circles/{circle.slug}/search/"):
        html = login(member).get(url, {"q": hostile}).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
