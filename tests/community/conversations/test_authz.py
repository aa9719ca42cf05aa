"""Every new URL of private conversations against every kind of visitor.

"login": redirect to log-in; "done": redirect after the action; codes otherwise.
A refused request leaves the data as it was.
"""

import re

import pytest

from community.conversations import rules, services
from community.conversations.models import (
    Conversation,
    DirectMessage,
    DirectMessageReport,
)

from ...security.matrix_world import VISITORS, build_world

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
PARTIES = {"member", "target"}  # the conversation is between these two
SHARERS = {"member", "muted", "moderator", "host"}  # active in the target's circle


def row(**groups) -> dict:
    answers = {visitor: "404" for visitor in VISITORS}
    answers["anonymous"] = "login"
    for answer, visitors in groups.items():
        for visitor in visitors:
            answers[visitor] = answer.lstrip("_")
    return answers


ROWS = [
    ("GET", "/messages/", row(_200=set(VISITORS) - {"anonymous"}), {}),
    ("GET", "/messages/{conversation}/", row(_200=PARTIES), {}),
    ("POST", "/messages/{conversation}/send/", row(done=PARTIES), {}),
    ("POST", "/messages/{conversation}/send/", row(_403=PARTIES), {"closed": True}),
    ("POST", "/messages/{conversation}/close/", row(done=PARTIES), {}),
    (
        "POST",
        "/messages/{conversation}/report/",
        row(done={"target"}, _403={"member"}),
        {},
    ),
    (
        "POST",
        "/circles/{slug}/members/{target}/check-in/",
        row(done={"moderator", "host", "staff"}, _403={"member", "muted"}),
        {},
    ),
    ("POST", "/members/{target}/message/", row(done=SHARERS), {}),
    ("POST", "/members/{target}/message/", row(_403=SHARERS), {"not_allowed": True}),
    ("GET", "/moderation/messages/", row(_200={"staff"}), {}),
]
CELLS = [
    (n, method, url, visitor, answers[visitor], options)
    for n, (method, url, answers, options) in enumerate(ROWS)
    for visitor in VISITORS
]


def answer_of(response) -> str:
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "done"
    return str(response.status_code)


def snapshot():
    return (
        list(Conversation.objects.values_list("id", "closed_at")),
        DirectMessage.objects.count(),
        DirectMessageReport.objects.count(),
    )


@pytest.fixture
def world(monkeypatch):
    allowed: set[int] = set()
    monkeypatch.setattr(rules, "allows_messages", lambda user: user.pk in allowed)
    world = build_world(private=True)
    people, target = world["people"], world["target"]
    allowed.add(target.pk)
    conversation = services.message_start(
        sender=people["member"], recipient_id=target.pk, body="matrix words"
    ).message.conversation
    world.update(conversation=conversation, allowed=allowed)
    people["target"] = target
    return world


@pytest.mark.parametrize(
    "n,method,url,visitor,expected,options",
    CELLS,
    ids=[f"{c[0]}-{c[1]} {c[2]}-{c[3]}" for c in CELLS],
)
def test_matrix(client, world, n, method, url, visitor, expected, options):
    people, conversation = world["people"], world["conversation"]
    if options.get("closed"):
        services.conversation_close(actor=people["target"], conversation=conversation)
    if options.get("not_allowed"):
        world["allowed"].clear()
    person = people.get(visitor)
    if person is not None:
        client.force_login(person)
    path = url.format(
        conversation=conversation.pk,
        slug=world["circle"].slug,
        target=world["target"].pk,
    )
    form = {"body": "a new message", "message": conversation.messages.get().pk}
    form["reason"] = "spam"
    before = snapshot()
    response = client.get(path) if method == "GET" else client.post(path, form)
    assert answer_of(response) == expected
    if expected != "done" and method == "POST":
        assert snapshot() == before, "a refused request changed something"
    if expected == "404":
        assert "matrix words" not in response.content.decode()


def test_a_hidden_conversation_answers_exactly_like_a_missing_one(client, world):
    client.force_login(world["people"]["host"])
    pk = world["conversation"].pk
    for suffix, method in [("", "get"), ("send/", "post"), ("close/", "post")]:
        answers = [
            getattr(client, method)(f"/messages/{cid}/{suffix}", {"body": "x"})
            for cid in (pk, 987654)
        ]
        bodies = [
            a.content.decode().replace(str(pk), "ID").replace("987654", "ID")
            for a in answers
        ]
        assert [a.status_code for a in answers] == [404, 404]
        assert CSRF_VALUE.sub("", bodies[0]) == CSRF_VALUE.sub("", bodies[1])


def test_the_refusal_sentence_is_the_same_for_every_cause(client, world):
    from moderation.models import Ignore

    people, target = world["people"], world["target"]
    sender = people["host"]
    client.force_login(sender)
    texts = []
    for cause in ("setting", "ignore"):
        if cause == "setting":
            world["allowed"].clear()
        else:
            world["allowed"].add(target.pk)
            Ignore.objects.create(user=target, ignored=sender)
        response = client.post(f"/members/{target.pk}/message/", {"body": "hi"})
        assert response.status_code == 403
        texts.append(CSRF_VALUE.sub("", response.content.decode()))
    assert texts[0] == texts[1]
    assert rules.REFUSED.replace("'", "&#x27;") in texts[0]
