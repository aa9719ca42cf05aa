"""The crisis card tells the truth about what happened to the words, sits at the
top of <main>, and offers lines a phone can call or text."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from circles.models import Membership, Post
from community.notifications.models import Notification
from moderation.models import SafetyItem, WatchedWord
from moderation.safety.crisis import crisis_html, crisis_text

from ...circles.chat.ws import next_frame, open_socket

pytestmark = pytest.mark.django_db

WORDS = "honestly i want to kill myself tonight"


def card_of(html: str) -> dict:
    match = re.search(
        r'<section id="crisis-resources"[^>]*data-level="(\w+)" data-posted="(\w+)"',
        html,
    )
    assert match, "no crisis card"
    main = html[html.index("<main") :]
    card_at = main.index('id="crisis-resources"')
    first_heading = re.search(r"<h1", main)
    assert first_heading is None or card_at < first_heading.start()
    said = re.search(r'<p class="crisis-said">([^<]*)</p>', html).group(1)
    return {"level": match.group(1), "posted": match.group(2), "said": said}


def reply(client, thread, body):
    return client.post(
        f"/circles/{thread.circle.slug}/threads/{thread.pk}/reply/",
        {"body": body},
        follow=True,
    )


@pytest.fixture
def thread(circle, people):
    from circles.threads import services as thread_services

    return thread_services.thread_create(
        author=people["host"], circle=circle, title="Evening", body="How are you?"
    ).thread


def test_a_visible_reply_says_it_is_posted_and_the_moderators_were_told(
    client, thread, people
):
    client.force_login(people["member"])
    card = card_of(reply(client, thread, WORDS).content.decode())
    assert card["posted"] == "visible" and card["level"] in ("danger", "concern")
    assert "posted" in card["said"] and "can read them now" in card["said"]
    assert "Nothing was posted" not in card["said"]
    assert Post.objects.filter(body=WORDS).exists()


def test_a_held_reply_says_only_moderators_and_the_author_see_it(
    client, thread, people
):
    WatchedWord.objects.create(circle=thread.circle, phrase="tonight", action="hold")
    client.force_login(people["member"])
    card = card_of(reply(client, thread, WORDS).content.decode())
    assert card["posted"] == "held" and "only you and the circle" in card["said"]


def test_a_refused_reply_still_shows_the_card_and_alerts(client, thread, people):
    Membership.objects.filter(user=people["member"]).update(
        muted_until=timezone.now() + timedelta(hours=1)
    )
    client.force_login(people["member"])
    response = reply(client, thread, WORDS)
    html = response.content.decode()
    card = card_of(html)
    assert card["posted"] == "no" and "Nothing was posted" in card["said"]
    assert "muted" in card["said"]
    assert WORDS in html  # the text is still in the box
    assert not Post.objects.filter(body=WORDS).exists()
    item = SafetyItem.objects.get(person=people["member"])
    # contract, third round: a refused write joins the case; alerts are `safety`
    assert item.kind == "not-ok" and item.source == "refused"
    assert Notification.objects.filter(
        kind="safety", recipient=people["moderator"]
    ).exists()


def test_not_ok_puts_the_card_at_the_top_and_says_who_was_told(client, circle, people):
    client.force_login(people["member"])
    html = client.post(f"/circles/{circle.slug}/not-ok/", follow=True)
    card = card_of(html.content.decode())
    assert card["posted"] == "no" and "moderators have been told" in card["said"]
    again = card_of(
        client.post(f"/circles/{circle.slug}/not-ok/", follow=True).content.decode()
    )
    assert "were not told again" in again["said"]


def test_the_not_ok_button_sits_at_the_top_and_beside_the_chat_box(
    client, circle, people
):
    client.force_login(people["member"])
    html = client.get(circle.get_absolute_url()).content.decode()
    buttons = [m.start() for m in re.finditer(r"I'm not OK right now</button>", html)]
    assert len(buttons) == 2
    assert buttons[0] < html.index('id="chat-log"')
    between = html[html.index('id="chat-input"') : buttons[1]]
    focusable = re.findall(r"<(button|a|textarea|input|select)\b", between)
    assert len(focusable) <= 4, focusable


def test_crisis_lines_are_links_a_phone_can_call_or_text(settings):
    settings.CRISIS_RESOURCES = ""
    settings.CRISIS_COUNTRY = "US"
    html = crisis_html()
    assert 'href="tel:988"' in html and 'href="sms:988"' in html
    settings.CRISIS_COUNTRY = ""
    assert 'href="tel:112"' in crisis_html()


def test_crisis_lines_by_country_from_json(settings, tmp_path):
    lines = {
        "default": [{"name": "Harbour line", "tel": "0800 000 000"}],
        "NZ": [{"name": "Need to talk?", "tel": "1737", "sms": "1737"}],
    }
    path = tmp_path / "crisis.json"
    path.write_text(json.dumps(lines))
    settings.CRISIS_RESOURCES = str(path)
    settings.CRISIS_COUNTRY = "NZ"
    assert 'href="sms:1737"' in crisis_html() and "Need to talk?" in crisis_text()
    settings.CRISIS_COUNTRY = "FR"
    assert 'href="tel:0800000000"' in crisis_html()


@pytest.mark.django_db(transaction=True)
async def test_the_chat_frame_says_posted_and_carries_the_lines(circle, member):
    socket = await open_socket(member, circle.slug)
    await socket.send_json_to({"type": "chat.send", "body": WORDS, "client_id": "x"})
    frame = await next_frame(socket, "crisis")
    assert frame["posted"] == "visible" and frame["level"] in ("danger", "concern")
    assert "tel:" in frame["html"] and "in the chat" in frame["text"]
    await socket.disconnect()


# --- one card, lines people can use, the unsafe level --------------------------------

PHONE_LINK = re.compile(r'<a href="(tel|sms):[^"]+"')


def card_section(html: str) -> str:
    start = html.index('<section id="crisis-resources"')
    return html[start : html.index("</section>", start)]


def no_bare_numbers(section: str) -> None:
    """Every phone number on the card sits inside a tel:/sms: link."""
    text_outside_links = re.sub(r"<a [^>]*>.*?</a>", "", section)
    text_outside_links = re.sub(r"<small>.*?</small>", "", text_outside_links)
    text_outside_links = re.sub(r"<strong>.*?</strong>", "", text_outside_links)
    assert not re.search(r"\b\d{3}\b", re.sub(r"<[^>]+>", " ", text_outside_links))


@pytest.mark.parametrize(
    "country, wanted",
    [
        ("US", ['href="tel:988"', 'href="sms:988"', 'href="tel:911"']),
        ("GB", ['href="tel:116123"', 'href="sms:85258?&amp;body=SHOUT"', "tel:999"]),
        ("IE", ['href="tel:116123"', 'href="sms:50808?&amp;body=HELLO"', "tel:112"]),
        ("", ['href="tel:112"', 'href="tel:911"', 'href="tel:999"', "findahelpline"]),
    ],
)
def test_built_in_lines_are_tappable_for_each_country(settings, country, wanted):
    from moderation.safety.crisis import card_html, not_ok_card

    settings.CRISIS_RESOURCES = ""
    settings.CRISIS_COUNTRY = country
    section = card_section(card_html(not_ok_card(alerted=True)))
    for link in wanted:
        assert link in section
    no_bare_numbers(section)


@pytest.mark.parametrize(
    "country, wanted",
    [
        ("US", ['href="tel:18007997233"', 'href="sms:88788?&amp;body=START"', "911"]),
        ("GB", ['href="tel:08082000247"', 'href="tel:999"']),
        ("IE", ['href="tel:1800341900"', 'href="tel:112"']),
        ("", ['href="tel:112"', 'href="tel:911"', 'href="tel:999"']),
    ],
)
def test_the_unsafe_card_has_domestic_abuse_lines_and_staying_safe(
    settings, country, wanted
):
    from moderation.safety.crisis import card, card_html

    settings.CRISIS_RESOURCES = ""
    settings.CRISIS_COUNTRY = country
    html = card_html(card(level="unsafe", posted="visible", item="post:3"))
    section = card_section(html)
    assert 'data-level="unsafe"' in html and "You deserve to be safe" in section
    for link in wanted:
        assert link in section
    assert "call and message logs" in section and "Leave quickly" in section
    assert "may not be safe where you are" in section
    no_bare_numbers(section)


def test_a_persons_country_wins_over_the_sites(client, thread, people, settings):
    settings.CRISIS_RESOURCES = ""
    settings.CRISIS_COUNTRY = "US"
    people["member"].crisis_country = "GB"
    people["member"].save()
    client.force_login(people["member"])
    section = card_section(reply(client, thread, WORDS).content.decode())
    assert 'href="tel:116123"' in section and "tel:988" not in section


def test_the_card_offers_misread_for_stored_words_only(client, thread, people):
    client.force_login(people["member"])
    html = reply(client, thread, WORDS).content.decode()
    post = Post.objects.get(body=WORDS)
    section = card_section(html)
    assert 'action="/safety/misread/"' in section
    assert f'name="item" value="post:{post.pk}"' in section
    assert "I&#x27;m OK, that was misread" in section
    assert "csrfmiddlewaretoken" in section
    not_ok = client.post(f"/circles/{thread.circle.slug}/not-ok/", follow=True)
    assert "/safety/misread/" not in card_section(not_ok.content.decode())


def test_a_stubbed_unsafe_detector_gives_the_unsafe_card_end_to_end(
    client, thread, people, monkeypatch, settings
):
    from moderation.screening import policy

    settings.CRISIS_RESOURCES = ""
    settings.CRISIS_COUNTRY = "GB"
    monkeypatch.setattr(
        policy, "crisis_level", lambda text, **_: "unsafe" if "locked" in text else ""
    )
    client.force_login(people["member"])
    html = reply(client, thread, "he locked me in again tonight").content.decode()
    assert card_of(html)["level"] == "unsafe"
    assert "0808 2000 247" in card_section(html)
    item = SafetyItem.objects.get(person=people["member"])
    assert item.level == "unsafe"


@pytest.mark.django_db(transaction=True)
async def test_the_chat_frame_draws_the_same_card_announced(
    circle, member, monkeypatch
):
    from moderation.screening import policy

    monkeypatch.setattr(
        policy, "crisis_level", lambda text, **_: "unsafe" if "locked" in text else ""
    )
    socket = await open_socket(member, circle.slug)
    await socket.send_json_to(
        {"type": "chat.send", "body": "he locked me in", "client_id": "u"}
    )
    frame = await next_frame(socket, "crisis")
    assert frame["level"] == "unsafe" and frame["item"].startswith("message:")
    assert 'role="alert"' in frame["html"] and "data-focus" not in frame["html"]
    assert 'id="crisis-resources"' in frame["html"]
    assert 'action="/safety/misread/"' in frame["html"]
    assert "tel:" in frame["html"]
    await socket.disconnect()


def test_a_private_message_card_is_the_same_card(client, people, settings):
    from community.conversations import services as dm_services

    settings.CRISIS_RESOURCES = ""
    settings.CRISIS_COUNTRY = "US"
    sent = dm_services.check_in_start(
        actor=people["moderator"],
        circle=people["moderator"].memberships.first().circle,
        member=people["member"],
        body="Checking in: how are you?",
    )
    conversation = sent.message.conversation
    client.force_login(people["member"])
    html = client.post(
        f"/messages/{conversation.pk}/send/", {"body": WORDS}, follow=True
    ).content.decode()
    section = card_section(html)
    assert card_of(html)["posted"] == "visible"
    assert "Moss Moderator can read it now" in section
    assert 'href="tel:988"' in section and 'href="sms:988"' in section
    assert 'name="item" value="dm:' in section
