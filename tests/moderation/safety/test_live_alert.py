"""`safety.alert` on the circle socket, to hosts and moderators only, chosen again
at each alert (a role change counts at once); care's frames live."""

import pytest
from channels.db import database_sync_to_async

from circles.memberships import services as membership_services
from moderation.models import SafetyCase
from moderation.safety import care as care_services
from moderation.safety import services as safety_services

from ...circles.chat.ws import drain, next_frame, of_type, open_socket, say
from ...factories import UserFactory, add_member

pytestmark = pytest.mark.django_db(transaction=True)

DANGER = "I want to kill myself tonight"


@pytest.fixture
def cat(circle):
    user = UserFactory(display_name="Cat Reader")
    add_member(circle, user)
    return user


async def test_the_moderator_in_the_room_gets_the_alert_and_members_do_not(
    circle, member, moderator, cat
):
    writer = await open_socket(member, circle.slug)
    mod = await open_socket(moderator, circle.slug)
    reader = await open_socket(cat, circle.slug)
    await say(writer, DANGER, "c-1")
    alert = await next_frame(mod, "safety.alert")
    assert alert["case"] == member.pk and alert["level"] == "danger"
    assert alert["name"] == member.display_name
    assert alert["url"] == f"/circles/{circle.slug}/moderation/#safety"
    assert alert["pick_up"].endswith("/pick-up/")
    assert not of_type(await drain(reader), "safety.alert")
    assert not of_type(await drain(writer), "safety.alert")
    for socket in (writer, mod, reader):
        await socket.disconnect()


async def test_a_role_change_decides_who_hears_the_next_alert(
    circle, host, member, moderator, cat
):
    mod = await open_socket(moderator, circle.slug)
    new_mod = await open_socket(cat, circle.slug)

    def change_roles():
        membership_services.membership_set_role(
            actor=host, circle=circle, user_id=moderator.pk, role="member"
        )
        membership_services.membership_set_role(
            actor=host, circle=circle, user_id=cat.pk, role="moderator"
        )

    await database_sync_to_async(change_roles)()
    await database_sync_to_async(safety_services.member_not_ok)(
        user=member, circle=circle
    )
    assert (await next_frame(new_mod, "safety.alert"))["case"] == member.pk
    assert not of_type(await drain(mod), "safety.alert")
    await mod.disconnect()
    await new_mod.disconnect()


async def test_an_alert_for_another_circle_stays_out_of_this_socket(
    circle, other_circle, other_moderator, member
):
    await database_sync_to_async(add_member)(circle, other_moderator, role="moderator")
    elsewhere = await open_socket(other_moderator, other_circle.slug)
    await database_sync_to_async(safety_services.member_not_ok)(
        user=member, circle=circle
    )
    assert not of_type(await drain(elsewhere), "safety.alert")
    await elsewhere.disconnect()


async def test_care_reaches_others_as_a_removal_and_the_author_as_cared(
    circle, member, moderator, cat
):
    writer = await open_socket(member, circle.slug)
    reader = await open_socket(cat, circle.slug)
    await say(writer, DANGER, "c-2")
    message_id = (await next_frame(reader, "chat.message"))["message"]["id"]

    def hold_and_care():
        case = SafetyCase.objects.get(person=member)
        item = case.items.first()
        safety_services.safety_case_pick_up(
            actor=moderator, kind=item.kind, object_id=item.object_id
        )
        care_services.safety_care(actor=moderator, kind="message", object_id=message_id)

    await database_sync_to_async(hold_and_care)()
    removed = await next_frame(reader, "chat.removed")
    assert removed["id"] == message_id
    assert removed["reason"] == "Moved out of view by the moderators."
    assert removed["cared"] is True and removed["author_id"] == member.pk
    cared = await next_frame(writer, "chat.cared")
    assert cared["id"] == message_id
    await writer.disconnect()
    await reader.disconnect()


async def test_after_care_the_author_still_gets_her_words_on_catch_up(
    circle, member, moderator, cat
):
    writer = await open_socket(member, circle.slug)
    await say(writer, DANGER, "c-3")
    message_id = (await next_frame(writer, "chat.message"))["message"]["id"]
    await writer.disconnect()

    def hold_and_care():
        item = SafetyCase.objects.get(person=member).items.first()
        safety_services.safety_case_pick_up(
            actor=moderator, kind=item.kind, object_id=item.object_id
        )
        care_services.safety_care(actor=moderator, kind="message", object_id=message_id)

    await database_sync_to_async(hold_and_care)()
    mine = await open_socket(member, circle.slug, after=message_id - 1)
    again = (await next_frame(mine, "chat.message"))["message"]
    assert again["cared"] is True and DANGER in again["body_html"]
    theirs = await open_socket(cat, circle.slug, after=message_id - 1)
    seen = (await next_frame(theirs, "chat.message"))["message"]
    assert seen["removed"] and seen["reason"] == "Moved out of view by the moderators."
    assert DANGER not in str(seen)
    await mine.disconnect()
    await theirs.disconnect()
