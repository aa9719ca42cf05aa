"""A chat message drawn in Python (circles/chat_html.py), for the circle page and for
live frames. `chat_html_expected.txt` holds what the template it replaced
(templates/circles/_chat_message.html, its includes and the reaction and save tags,
removed since) drew for the same ten messages (every status, crisis levels, a name
that needs escaping, reactions, saved) as six readers read them (member, host,
moderator holding the cases, one who ignores people, a muted member, a visitor) and
in live frames: the drawing must keep giving exactly that markup (whitespace between
tags and the CSRF token's value aside). Regenerate it only for a change meant to
alter the markup, `CHAT_HTML_REGENERATE=1 pytest tests/circles/chat/test_chat_html.py`,
and read the diff."""

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from circles import permissions
from circles.chat import selectors
from circles.chat_message import PageReader, live_html, page_html
from circles.models import AUTHOR_GONE_REASON, ChatMessage, ContentStatus, Membership
from circles.reactions.models import Reaction
from circles.saved.models import SavedItem
from moderation.safety.crisis import sensitive_context
from tests.factories import CircleFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("chat_html_expected.txt")
AT = datetime(2026, 12, 7, 9, 30, 5, tzinfo=UTC)
ODD = 'Ana "<b>O\'Neil</b>" & co'
# name: status, level, author, reactions (reactor: reaction), saved by
MESSAGES = {
    "plain": ("visible", "", "host", {"member": "thanks", "odd": "hear_you"}, True),
    "own": ("visible", "", "member", {"host": "hear_you"}, False),
    "odd name": ("visible", "", "odd", {}, False),
    "concern": ("visible", "concern", "odd", {}, True),
    "danger": ("visible", "danger", "odd", {}, False),
    "held": ("held", "", "member", {}, False),
    "hidden": ("hidden", "", "odd", {}, False),
    "cared": ("cared", "danger", "odd", {}, False),
    "removed": ("removed", "", "host", {}, False),
    "gone": ("gone", "", "odd", {}, False),
}


def norm(html: str) -> str:
    """Template indentation (whitespace with a line break between tags) and the
    token's value (masked afresh per request) do not count; a space does."""
    html = re.sub(r">\s*\n\s*<", "><", html.strip())
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1T"', html)


def split(html: str) -> list[str]:
    return [norm(li) for li in re.split(r'(?=<li class="chat-msg)', html) if li.strip()]


@pytest.fixture
def room(db):
    """People and messages with fixed ids and times, so the drawing is the same on
    every run and database."""
    people = {
        "host": UserFactory(pk=9002, display_name="Hazel Host"),
        "member": UserFactory(pk=9001, display_name="Mira Member"),
        "odd": UserFactory(pk=9003, display_name=ODD),
        "moderator": UserFactory(pk=9004, display_name="Moss Moderator"),
        "muted": UserFactory(pk=9005, display_name="Muted Person"),
    }
    circle = CircleFactory(host=people["host"], slug="quiet-harbour")
    for who in ("member", "odd", "muted"):
        add_member(circle, people[who])
    add_member(circle, people["moderator"], role=Membership.Role.MODERATOR)
    Membership.objects.filter(user=people["muted"], circle=circle).update(
        muted_until=timezone.now() + timedelta(hours=1)
    )
    levels, ids = {}, {}
    for n, (name, (status, level, author, reactions, saved)) in enumerate(
        MESSAGES.items()
    ):
        message = ChatMessage.objects.create(
            pk=9100 + n,
            circle=circle,
            author=people[author],
            seq=n + 1,
            body=f"words {n}",
            body_html=f"<p>words <em>{n}</em> &amp; more</p>",
            status=ContentStatus.REMOVED if status == "gone" else status,
            removed_reason=AUTHOR_GONE_REASON if status == "gone" else "",
        )
        ids[name], levels[message.pk] = message.pk, level
        for who, reaction in reactions.items():
            Reaction.objects.create(
                user=people[who], message=message, reaction=reaction
            )
        if saved:
            for who in ("member", "moderator"):
                SavedItem.objects.create(user=people[who], message=message)
    ChatMessage.objects.filter(circle=circle).update(created_at=AT)
    care = frozenset(ids[name] for name in ("plain", "concern", "danger", "held"))
    ignored = frozenset({9002, 9003})
    readers = {
        "member": (people["member"], PageReader(9001, False, frozenset(), frozenset())),
        "host": (people["host"], PageReader(9002, True, frozenset(), frozenset())),
        "holder": (people["moderator"], PageReader(9004, True, frozenset(), care)),
        "ignoring": (people["member"], PageReader(9001, False, ignored, frozenset())),
        "muted": (people["muted"], PageReader(9005, False, frozenset(), frozenset())),
        "visitor": (AnonymousUser(), PageReader(None, False, frozenset(), frozenset())),
    }
    return {"circle": circle, "levels": levels, "readers": readers, "ids": ids}


def messages_of(room) -> list:
    messages = selectors.chat_messages(circle=room["circle"])
    for m in messages:  # the levels as if their words had raised them
        m.sensitive_level = room["levels"][m.pk]
    return messages


def request_for(user, circle, query="?message=9100"):
    request = RequestFactory().get(f"{circle.get_absolute_url()}{query}")
    request.user = user
    return request


def new_page(request, circle, messages, reader, sensitive, can_post) -> str:
    return page_html(
        request, circle, messages, reader, can_post=can_post, sensitive=sensitive
    )


def draw_all(room, *, page=new_page, live=live_html) -> dict[str, str]:
    """Every message as each reader's page draws it, and in live frames."""
    circle = room["circle"]
    messages = messages_of(room)
    names = {pk: name for name, pk in room["ids"].items()}
    sensitive = sensitive_context(country="")
    drawn = {}
    for reader_name, (user, reader) in room["readers"].items():
        if user.is_authenticated:
            permissions.forget_cached_perms(user)
        can_post = permissions.can_post_in_circle(user, circle)
        html = page(
            request_for(user, circle), circle, messages, reader, sensitive, can_post
        )
        for m, li in zip(messages, split(html), strict=True):
            drawn[f"page, {reader_name}: {names[m.pk]}"] = li
    for m in messages:
        for for_author in (False, True):
            key = f"live{', for its author' if for_author else ''}: {names[m.pk]}"
            drawn[key] = norm(live(m, for_author=for_author))
    return drawn


def read_expected() -> dict[str, str]:
    text = EXPECTED.read_text()
    return dict(re.findall(r"^### (.+)\n(.*)$", text, flags=re.MULTILINE))


def write_expected(drawn: dict[str, str]) -> None:
    EXPECTED.write_text("".join(f"### {k}\n{v}\n" for k, v in drawn.items()))


def test_every_message_and_reader_draws_the_stored_markup(room):
    drawn = draw_all(room)
    if os.environ.get("CHAT_HTML_REGENERATE"):
        write_expected(drawn)
    expected = read_expected()
    assert list(drawn) == list(expected)
    for case, html in drawn.items():
        assert html == expected[case], case


def test_names_and_words_are_escaped_and_words_printed_as_stored(room):
    drawn = "".join(draw_all(room).values())
    assert "<b>O'Neil" not in drawn and "O&#x27;Neil" in drawn
    assert "Ana &quot;&lt;b&gt;O&#x27;Neil&lt;/b&gt;&quot; &amp; co" in drawn
    assert "<p>words <em>0</em> &amp; more</p>" in drawn


def test_a_page_reads_reactions_and_saved_items_once_whatever_its_length(
    room, django_assert_num_queries
):
    user, reader = room["readers"]["member"]
    circle = room["circle"]
    messages = messages_of(room)
    sensitive = sensitive_context(country="")
    for count in (1, len(messages)):
        with django_assert_num_queries(2):  # reactions, saved items
            page_html(
                request_for(user, circle),
                circle,
                messages[:count],
                reader,
                can_post=True,
                sensitive=sensitive,
            )


def test_a_page_of_tombstones_asks_nothing(room, django_assert_num_queries):
    user, reader = room["readers"]["member"]
    circle = room["circle"]
    gone = [m for m in messages_of(room) if m.status == ContentStatus.REMOVED]
    with django_assert_num_queries(0):
        html = page_html(
            request_for(user, circle), circle, gone, reader, can_post=True, sensitive={}
        )
    assert html.count("chat-tombstone") == 2
