"""A private conversation's words never reach a third person: not in a page, a
fragment, a notification or a socket; staff read only what was reported."""

import pytest
from channels.db import database_sync_to_async

from community.conversations import services
from community.conversations.models import DirectMessage

from ...circles.chat.ws import drain, open_socket
from ...factories import UserFactory, add_member
from .ws import open_me

CANARY = "canary-dm-5b1e-90f4"


def plant(circle, moderator, member, bea, allow):
    allow(bea)
    talk = services.message_start(
        sender=member, recipient_id=bea.pk, body=f"secret {CANARY} one"
    ).message.conversation
    services.dm_send(author=bea, conversation=talk, body=f"reply {CANARY} two")
    check_in = services.check_in_start(
        actor=moderator, circle=circle, member=member, body=f"check {CANARY} three"
    ).message.conversation
    services.dm_send(author=member, conversation=check_in, body=f"fine {CANARY} four")
    return talk, check_in


def third_people(circle, host, staff, outsider):
    other = UserFactory(display_name="Theo Third")
    add_member(circle, other)
    return {"host": host, "other member": other, "staff": staff, "outsider": outsider}


@pytest.mark.django_db
def test_no_page_of_a_third_person_holds_the_words(
    client, allow, circle, host, moderator, member, staff, outsider, no_dm_limit
):
    bea = UserFactory(display_name="Bea Member")
    add_member(circle, bea)
    talk, check_in = plant(circle, moderator, member, bea, allow)
    for n in range(10):  # far from the canary: a report here shows none of it
        services.dm_send(author=bea, conversation=talk, body=f"later {n}")
    far = DirectMessage.objects.get(conversation=talk, body="later 9")
    services.dm_report(reporter=member, message_id=far.pk, reason="spam")
    urls = [
        "/messages/",
        f"/messages/{talk.pk}/",
        f"/messages/{check_in.pk}/",
        f"/circles/{circle.slug}/",
        f"/circles/{circle.slug}/members/",
        f"/circles/{circle.slug}/moderation/",
        "/moderation/",
        "/moderation/messages/",
        "/notifications/",
        "/asks/mine/",
    ]
    for name, person in third_people(circle, host, staff, outsider).items():
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert CANARY not in response.content.decode(), (name, url)
        for url in (f"/messages/{talk.pk}/send/", f"/messages/{talk.pk}/report/"):
            response = client.post(url, {"body": "x", "message": far.pk})
            assert CANARY not in response.content.decode(), (name, url)
    client.force_login(staff)
    assert "later 9" in client.get("/moderation/messages/").content.decode()


@pytest.mark.django_db(transaction=True)
async def test_no_socket_of_a_third_person_hears_the_words(
    allow, circle, host, moderator, member, staff, outsider
):
    bea = await database_sync_to_async(UserFactory)(display_name="Bea Member")
    await database_sync_to_async(add_member)(circle, bea)
    people = await database_sync_to_async(third_people)(circle, host, staff, outsider)
    sockets = [await open_me(p, after=0) for p in people.values()]
    sockets += [
        await open_socket(p, circle.slug, after=0)
        for name, p in people.items()
        if name != "outsider"
    ]
    await database_sync_to_async(plant)(circle, moderator, member, bea, allow)
    for communicator in sockets:
        for frame in await drain(communicator, wait=0.2):
            assert CANARY not in str(frame)
        await communicator.disconnect()
    late = [await open_me(p, after=0) for p in people.values()]
    for communicator in late:  # the catch-up of a third person holds nothing either
        assert all(CANARY not in str(f) for f in await drain(communicator, wait=0.2))
        await communicator.disconnect()
