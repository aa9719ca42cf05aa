"""Screening: watched words that block, hold or flag, and the crisis net."""

import pytest

from circles.threads import services as thread_services
from community.notifications.models import Notification
from moderation.models import Flag, SafetyCase, WatchedWord

from ...circles.chat.ws import drain, next_frame, of_type, open_socket

pytestmark = pytest.mark.django_db


# --- watched words and the crisis net --------------------------------------------------
def test_a_blocked_word_refuses_the_text_and_keeps_it(client, circle, people):
    WatchedWord.objects.create(circle=None, phrase="slur", action="block")
    client.force_login(people["member"])
    response = client.post(
        f"/circles/{circle.slug}/threads/new/",
        {
            "kind": "discussion",
            "title": "Words",
            "body": "some slurs here, carefully written",
        },
    )
    assert response.status_code == 400
    assert "carefully written" in response.content.decode()
    assert "does not allow some of the words" in response.content.decode()


def test_a_flag_word_posts_and_queues(circle, people):
    WatchedWord.objects.create(circle=circle, phrase="pills", action="flag")
    thread = thread_services.thread_create(
        author=people["author"], circle=circle, title="Meds", body="my pills ran out"
    ).thread
    assert thread.status == "visible"
    assert Flag.objects.get().note == "Watched word: pills"


MUST_MATCH = [
    "I want to kill myself",
    "i'm thinking about KILLING MYSELF tonight",
    "Sometimes I want to die.",
    "I just want to end it all",
    "thinking of ending my life",
    "I've been feeling suicidal again",
    "I keep hurting myself when it gets bad",
    "I cut myself last night",
    "I don't want to be here anymore",
    "I dont want to live",
    "everyone would be better off without me",
    "there's no reason to live",
    "I wish I was dead",
    "self-harm has been on my mind",
]
MUST_NOT_MATCH = [
    "this killer workout nearly ended me",
    "I want to skill myself up in cooking",
    "I could die of embarrassment",  # a figure of speech, without wanting to
    "the battery died",
    "I cut myself a slice of cake",
    "we watched Suicide Squad",
    "my partner is killing it at work",
    "I'm dying to see that film",
    "end of my shift at last",
]


@pytest.mark.parametrize("text", MUST_MATCH)
def test_crisis_words_are_recognised(text):
    from moderation.screening.crisis import suggests_self_harm

    assert suggests_self_harm(text)


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_ordinary_words_are_not_mistaken_for_a_crisis(text):
    from moderation.screening.crisis import suggests_self_harm

    assert not suggests_self_harm(text)


def test_crisis_words_show_the_author_the_card_and_alert_moderators(
    client, circle, people
):
    client.force_login(people["member"])
    response = client.post(
        f"/circles/{circle.slug}/threads/new/",
        {
            "kind": "discussion",
            "title": "Tonight",
            "body": "I don't want to be here anymore",
        },
        follow=True,
    )
    html = response.content.decode()
    assert 'id="crisis-resources"' in html and "emergency services" in html
    # contract, third round: crisis words are never a rule broken: no flag, a case
    assert not Flag.objects.filter(reason="self_harm").exists()
    assert SafetyCase.objects.filter(person=people["member"]).count() == 1
    alerted = set(
        Notification.objects.filter(kind="safety").values_list("recipient", flat=True)
    )
    assert alerted == {people["moderator"].pk, people["host"].pk}
    client.force_login(people["muted"])
    assert (
        'id="crisis-resources"'
        not in client.get(response.redirect_chain[-1][0]).content.decode()
    )


@pytest.mark.django_db(transaction=True)
async def test_crisis_words_in_chat_send_the_card_to_the_author_only(
    circle, member, host
):
    author = await open_socket(member, circle.slug)
    other = await open_socket(host, circle.slug)
    await author.send_json_to(
        {"type": "chat.send", "body": "i want to end my life", "client_id": "c"}
    )
    card = await next_frame(author, "crisis")
    assert "emergency" in card["text"]
    await next_frame(other, "chat.message")
    assert of_type(await drain(other), "crisis") == []
    await author.disconnect()
    await other.disconnect()


def test_crisis_resources_come_from_the_setting(settings, tmp_path):
    from moderation.safety.crisis import crisis_text

    settings.CRISIS_RESOURCES = "Call the Harbour line: 0800 000 000"
    assert crisis_text() == "Call the Harbour line: 0800 000 000"
    path = tmp_path / "crisis.txt"
    path.write_text("From a file: 0800 111 111\n")
    settings.CRISIS_RESOURCES = str(path)
    assert crisis_text() == "From a file: 0800 111 111"
