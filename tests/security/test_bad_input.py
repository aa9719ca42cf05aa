"""Input the database cannot store, and ids that are not ASCII digits: 400 with a
sentence, never 500, and the person's words come back (community/input_guard.py)."""

import json

import pytest

from community import input_guard
from community.conversations import rules, services
from community.conversations.models import DirectMessage

from ..factories import ChatMessageFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

SENTENCE = input_guard.REFUSED.replace("'", "&#x27;")


@pytest.fixture
def talk(circle, member, monkeypatch):
    bea = UserFactory(display_name="Bea Member")
    add_member(circle, bea)
    monkeypatch.setattr(rules, "allows_messages", lambda user: True)
    return services.message_start(
        sender=member, recipient_id=bea.pk, body="first words"
    ).message.conversation


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=a%00b",
        "/circles/{slug}/search/?q=%00",
        "/circles/{slug}/members.json?q=%00",
        "/circles/?q%00=x",
    ],
)
def test_a_nul_in_a_query_answers_400_with_a_sentence(client, circle, member, url):
    client.force_login(member)
    response = client.get(url.format(slug=circle.slug))
    assert response.status_code == 400
    assert SENTENCE in response.content.decode() or (
        response.json() == {"error": input_guard.REFUSED}
    )


def test_nul_in_a_private_message_message_member_and_check_in(
    client, circle, member, moderator, talk
):
    bea = talk.other(member)
    cases = [
        (member, f"/messages/{talk.pk}/send/"),
        (member, f"/members/{bea.pk}/message/"),
        (moderator, f"/circles/{circle.slug}/members/{bea.pk}/check-in/"),
    ]
    for person, url in cases:
        client.force_login(person)
        response = client.post(url, {"body": "my long words\x00 here"})
        assert response.status_code == 400, url
        page = response.content.decode()
        assert SENTENCE in page
        assert "my long words here" in page  # the words come back
    assert DirectMessage.objects.count() == 1


def test_a_lone_surrogate_in_json_answers_400(client, member, talk):
    client.force_login(member)
    response = client.post(
        f"/messages/{talk.pk}/send/",
        json.dumps({"body": "half \ud800 a character"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"error": input_guard.REFUSED}


def test_the_service_refuses_unstorable_text_for_every_path(talk, member):
    for body in ("a\x00b", "half \udc00"):
        with pytest.raises(services.DMRefused) as info:
            services.dm_send(author=member, conversation=talk, body=body)
        assert (info.value.status, info.value.detail) == (400, input_guard.REFUSED)


def test_ids_that_are_not_ascii_digits_answer_400(client, circle, member, talk):
    message = ChatMessageFactory(circle=circle, author=member)
    client.force_login(member)
    for ids in ("²", "1,²", "٣"):
        response = client.get(
            f"/circles/{circle.slug}/react/",
            {"kind": "message", "ids": ids},
        )
        assert response.status_code == 400, ids
        assert response.json() == {"error": input_guard.NOT_A_NUMBER}
    ok = client.get(
        f"/circles/{circle.slug}/react/",
        {"kind": "message", "ids": str(message.pk)},
    )
    assert ok.status_code == 200
    client.force_login(talk.other(member))
    response = client.post(
        f"/messages/{talk.pk}/report/", {"message": "²", "reason": "spam"}
    )
    assert response.status_code == 400
    assert input_guard.NOT_A_NUMBER in response.content.decode()


def test_ascii_int():
    assert input_guard.ascii_int("42") == 42
    for bad in ("²", "٣", "", "-1", "1" * 20, " 1", None, True):
        assert input_guard.ascii_int(bad) is None
