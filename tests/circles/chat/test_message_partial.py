"""One chat message, one partial: the page and the live frame draw it alike (same
controls, same order); per-reader controls are decided for the page by the server
and for a frame by the script (`data-only`); Remove for keepers on words that raised
no crisis level, Care (never Remove) on those that did; ignored people's words keep
only "show"; every control names its message."""

import re

import pytest

from circles import content_events
from circles.chat import selectors
from circles.chat import services as chat_services
from circles.chat_message import live_html
from circles.models import ChatMessage, ContentStatus
from moderation.models import Ignore
from moderation.safety import services as safety_services
from tests.factories import ChatMessageFactory

pytestmark = pytest.mark.django_db

DANGER = "I want to kill myself tonight"
CONTROLS = ("reaction-bar", "save-form", "chat-care", "chat-flag", "chat-remove")


def li_of(html: str, message_id: int) -> str:
    start = html.index(f'data-message-id="{message_id}"')
    start = html.rindex("<li", 0, start)
    return html[start : html.index("</li>", start) + 5]


def page_li(client, user, circle, message_id) -> str:
    client.force_login(user)
    return li_of(client.get(circle.get_absolute_url()).content.decode(), message_id)


def control_order(li: str) -> list[str]:
    """The controls in the order they appear, each once."""
    found = []
    for match in re.finditer(r'class="([^"]*)"', li):
        for name in CONTROLS:
            if name in match.group(1).split() and name not in found:
                found.append(name)
    return found


def only_tokens(li: str) -> list[str]:
    return re.findall(r'data-only="([^"]*)"', li)


@pytest.fixture
def plain(circle, member):
    return ChatMessageFactory(circle=circle, author=member, body="a calm evening")


def test_a_keeper_sees_remove_with_an_empty_reason_and_a_member_does_not(
    client, circle, plain, host, moderator, member
):
    for keeper in (host, moderator):
        li = page_li(client, keeper, circle, plain.pk)
        assert f'action="/moderation/message/{plain.pk}/remove/"' in li
        reason = re.search(r"<textarea[^>]*name=\"reason\"[^>]*>(.*?)</textarea>", li)
        assert (
            reason and reason.group(1) == ""
        )  # typed by the moderator, never pre-filled
        assert "data-only" not in li  # the page decides for its reader
    other = ChatMessageFactory(circle=circle, author=host, body="hello")
    li = page_li(client, member, circle, other.pk)
    assert "/remove/" not in li and "chat-remove" not in li


def test_words_that_raised_a_level_offer_care_to_the_holder_and_never_remove(
    client, circle, member, moderator, host
):
    posted = chat_services.chat_message_post(author=member, circle=circle, body=DANGER)
    assert posted.crisis
    message = posted.message
    for keeper in (host, moderator):
        li = page_li(client, keeper, circle, message.pk)
        assert "/remove/" not in li and "chat-remove" not in li
        assert "/care/" not in li  # nobody holds the case yet
    safety_services.safety_case_pick_up(
        actor=moderator, kind="message", object_id=message.pk
    )
    li = page_li(client, moderator, circle, message.pk)
    assert f'action="/moderation/message/{message.pk}/care/"' in li
    assert "/remove/" not in li
    # The live frame: care for the holder only, no Remove, no reactions.
    html = content_events.chat_message(message)["text"]
    frame_li = content_events.chat_message_payload(message)["html"]
    assert "chat-remove" not in frame_li and "data-reaction-bar" not in frame_li
    assert only_tokens(frame_li).count("holder") == 1
    assert "remove" not in html


def test_the_live_message_has_the_same_controls_in_the_same_order(
    client, circle, plain, host
):
    page = page_li(client, host, circle, plain.pk)
    live = content_events.chat_message_payload(plain)["html"]
    assert control_order(page) == [
        "reaction-bar",
        "save-form",
        "chat-flag",
        "chat-remove",
    ]
    assert control_order(live) == control_order(page)
    # Every reader's variant is there for the script to choose from.
    assert only_tokens(live) == [
        "author",
        "others reactor",
        "others onlooker",
        "others",
        "keeper",
    ]


def test_a_live_message_holds_nothing_of_one_reader(circle, plain):
    live = content_events.chat_message_payload(plain)["html"]
    assert "csrfmiddlewaretoken" not in live  # the script puts in the page's own
    assert 'aria-pressed="true"' not in live  # nobody's reactions, nothing saved
    assert 'data-live="1"' in live


def test_drawing_a_live_message_runs_no_query(
    circle, member, django_assert_num_queries
):
    ChatMessageFactory(circle=circle, author=member, body="one")
    (message,) = selectors.chat_messages(circle=circle)
    with django_assert_num_queries(0):  # a socket draws it outside the db thread
        html = live_html(message)
    assert "one" in html


def test_held_words_reach_their_author_with_the_tag_and_others_as_a_tombstone(
    circle, member
):
    message = ChatMessageFactory(
        circle=circle, author=member, body="held words", status=ContentStatus.HELD
    )
    message.sensitive_level = ""
    mine = content_events.chat_message_payload(message, for_author=True)["html"]
    assert "held words" in mine and "Held for review" in mine
    assert "chat-remove" not in mine
    theirs = content_events.chat_message_payload(message)["html"]
    assert "held words" not in theirs and "chat-tombstone" in theirs


def test_an_ignored_persons_message_keeps_nothing_but_show(
    client, circle, plain, host, moderator
):
    for reader in (host, moderator):
        Ignore.objects.create(user=reader, ignored=plain.author)
        li = page_li(client, reader, circle, plain.pk)
        assert '<details class="ignored">' in li and "a calm evening" in li
        for control in ("data-reaction-bar", "save-form", "chat-flag", "chat-remove"):
            assert control not in li, control
    # The page gives the script the same fold for live messages.
    client.force_login(host)
    html = client.get(circle.get_absolute_url()).content.decode()
    assert 'id="ignored-template"' in html and 'class="ignored-name"' in html


def test_every_control_names_the_message_it_belongs_to(client, circle, plain, host):
    li = page_li(client, host, circle, plain.pk)
    name = plain.author.display_name
    names = {
        "reaction": rf"I hear you<span class=\"visually-hidden\">, to the message from {name}",
        "who reacted": rf"Who reacted<span class=\"visually-hidden\"> to the message from {name}",
        "save": rf"Save<span class=\"visually-hidden\"> message from {name}",
        "flag": rf"Flag<span class=\"visually-hidden\"> message from {name}",
        "remove": rf"Remove<span class=\"visually-hidden\"> message from {name}",
        "remove it": rf"Remove it<span class=\"visually-hidden\"> \(message from {name}\)",
    }
    for what, pattern in names.items():
        assert re.search(pattern, li), what


def test_own_message_bar_reads_your_message(client, circle, member):
    mine = ChatMessageFactory(circle=circle, author=member, body="mine")
    li = page_li(client, member, circle, mine.pk)
    assert 'aria-label="Reactions to your message"' in li
    assert "chat-flag" not in li


def test_a_socket_frame_carries_the_html(circle, member):
    ChatMessageFactory(circle=circle, author=member, body="from the history")
    (message,) = selectors.chat_messages(circle=circle)
    payload = content_events.chat_message_payload(message, viewer_id=member.pk)
    assert payload["html"].startswith("<li") and "from the history" in payload["html"]
    assert ChatMessage.objects.count() == 1
