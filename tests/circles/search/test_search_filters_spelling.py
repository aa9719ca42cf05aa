"""Finding 10 (issue 26): search gains `from:` and date filters, and British and
American spellings find each other ("apologizing" finds "apologising")."""

import datetime as dt

import pytest
from django.utils import timezone

from circles.models import ChatMessage
from circles.search import selectors, spelling

from ...factories import (
    ChatMessageFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.django_db


def found(user, text):
    return [(r.kind, r.id) for r in selectors.search(user=user, text=text)]


@pytest.mark.parametrize(
    "word,other",
    [
        ("apologizing", "apologising"),
        ("apologising", "apologizing"),
        ("organise", "organize"),
        ("analyzed", "analysed"),
        ("colour", "color"),
        ("behaviors", "behaviours"),
    ],
)
def test_each_spelling_has_the_other(word, other):
    assert other in spelling.spellings(word)


def test_short_words_are_left_alone():
    assert spelling.spellings("four") == ["four"]
    assert spelling.spellings("hour") == ["hour"]


def test_apologizing_finds_apologising_and_back(circle, member, host):
    post = PostFactory(
        thread=ThreadFactory(circle=circle, author=host),
        author=host,
        body="I keep apologising for needing help.",
    )
    assert ("post", post.pk) in found(member, "apologizing")
    other = ChatMessageFactory(circle=circle, author=host, body="stop apologizing")
    assert ("message", other.pk) in found(member, "apologising")


def test_from_filters_by_display_name(circle, member, host):
    ash = UserFactory(display_name="Ash Tree")
    add_member(circle, ash)
    mine = ChatMessageFactory(circle=circle, author=ash, body="rain all day")
    ChatMessageFactory(circle=circle, author=host, body="rain all day too")
    assert found(member, 'rain from:"Ash Tree"') == [("message", mine.pk)]
    assert found(member, "from:nobody rain") == []
    # Filters alone list the newest of that person.
    assert found(member, 'from:"ash tree"') == [("message", mine.pk)]


def test_after_and_before_filter_by_date(circle, member, host):
    old = ChatMessageFactory(circle=circle, author=host, body="snow again")
    new = ChatMessageFactory(circle=circle, author=host, body="snow melting")
    ChatMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40)
    )
    cut = (timezone.now() - dt.timedelta(days=10)).date().isoformat()
    assert found(member, f"snow after:{cut}") == [("message", new.pk)]
    assert found(member, f"snow before:{cut}") == [("message", old.pk)]


def test_an_unreadable_date_is_said_and_left_out(login, circle, member, host):
    ChatMessageFactory(circle=circle, author=host, body="tea")
    html = login(member).get("/search/", {"q": "tea after:yesterday"}).content.decode()
    assert "Write after: as a date like after:2026-03-31" in html
    assert "Chat message" in html


def test_postgres_finds_both_spellings(postgres, circle, member, host):
    post = PostFactory(
        thread=ThreadFactory(circle=circle, author=host),
        author=host,
        body="I keep apologising and organising everything.",
    )
    assert ("post", post.pk) in found(member, "apologizing organizing")
    assert ("post", post.pk) in found(member, 'apologizing from:"Hazel Host"')
