"""Check-ins after role loss, membership loss, a ban or an ignore, over HTTP and over
the `/ws/me/` socket: the words are refused with the one neutral sentence and nothing
is stored; both people can still read the check-in and close it."""

import re

import pytest
from channels.db import database_sync_to_async

from circles.memberships import services as membership_services
from circles.models import Membership
from community.conversations import rules, services
from community.conversations.models import Conversation, DirectMessage
from moderation.models import Ignore

from ..community.conversations.ws import frame_of, open_me, send_json
from ..factories import add_member
from .matrix_world import build_world

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def demoted(world):
    add_member(world["circle"], world["people"]["moderator"])


def moderator_left(world):
    membership_services.membership_leave(
        user=world["people"]["moderator"], circle=world["circle"]
    )


def member_left(world):
    membership_services.membership_leave(user=world["target"], circle=world["circle"])


def member_banned(world):
    add_member(world["circle"], world["target"], state=Membership.State.BANNED)


def member_ignores(world):
    Ignore.objects.create(user=world["target"], ignored=world["people"]["moderator"])


LOSSES = [demoted, moderator_left, member_left, member_banned, member_ignores]


def start(world) -> Conversation:
    return services.check_in_start(
        actor=world["people"]["moderator"],
        circle=world["circle"],
        member=world["target"],
        body="Checking in with you.",
    ).message.conversation


@pytest.mark.django_db
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("side", ["moderator", "target"])
def test_http_check_in_after_loss(client, loss, side):
    world = build_world(private=True)
    talk = start(world)
    loss(world)
    person = world["target"] if side == "target" else world["people"][side]
    client.force_login(person)
    response = client.post(f"/messages/{talk.pk}/send/", {"body": "are you there?"})
    assert response.status_code == 403
    assert rules.REFUSED.replace("'", "&#x27;") in response.content.decode()
    assert "are you there?" in response.content.decode()  # the text is kept
    assert DirectMessage.objects.count() == 1
    assert client.get(f"/messages/{talk.pk}/").status_code == 200
    closed = client.post(f"/messages/{talk.pk}/close/")
    assert closed.status_code == 302
    talk.refresh_from_db()
    assert not talk.is_open


@pytest.mark.django_db
def test_a_refused_check_in_reads_the_same_whatever_the_cause(client):
    """A member's ignore is as secret as a lost role: the same page, word for word,
    and the same refusal when a check-in is started after the ignore."""
    world = build_world(private=True)
    moderator, target = world["people"]["moderator"], world["target"]
    talk = start(world)
    client.force_login(moderator)
    pages = []
    for loss, undo in [
        (demoted, lambda: add_member(world["circle"], moderator, role="moderator")),
        (member_ignores, lambda: Ignore.objects.all().delete()),
    ]:
        loss(world)
        response = client.post(f"/messages/{talk.pk}/send/", {"body": "hello"})
        assert response.status_code == 403
        pages.append(CSRF_VALUE.sub("", response.content.decode()))
        undo()
    assert pages[0] == pages[1]
    services.conversation_close(actor=target, conversation=talk)
    member_ignores(world)
    response = client.post(
        f"/circles/{world['circle'].slug}/members/{target.pk}/check-in/",
        {"body": "hello again"},
    )
    assert response.status_code == 403
    assert rules.REFUSED.replace("'", "&#x27;") in response.content.decode()
    assert DirectMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("loss", LOSSES)
async def test_socket_check_in_after_loss(loss):
    db = database_sync_to_async
    world = await db(build_world)(private=True)
    talk = await db(start)(world)
    await db(loss)(world)
    for person in (world["people"]["moderator"], world["target"]):
        socket = await open_me(person)
        await send_json(
            socket,
            {
                "type": "dm.send",
                "conversation": talk.pk,
                "body": "still there?",
                "client_id": f"c-{person.pk}",
            },
        )
        refused = await frame_of(socket, "error")
        assert refused["code"] == "forbidden"
        assert refused.get("detail", refused.get("message")) == rules.REFUSED
        await socket.disconnect()
    assert await db(DirectMessage.objects.count)() == 1
