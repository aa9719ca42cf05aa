"""Deleting an account and exporting it, as the contract's "Trust" table says (issue
25, items 1 and 9): with `remove` private messages become a tombstone for the other
person everywhere, conversations close, reactions and saved items go, mentions read
"a former member", unsent email naming the person is not sent; the export holds
conversations, reactions and saved items, and reads as a page."""

import json
import zoneinfo

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.utils import timezone

from circles import content_events
from circles.models import ChatMessage, Post, PostRevision
from circles.reactions import selectors as reaction_selectors
from circles.reactions.models import Reaction
from circles.saved.models import SavedItem
from community.accounts.erasure import erasure_finish_resolved
from community.accounts.models import User
from community.conversations import services as dm_services
from community.conversations.models import Conversation
from community.jobs.tasks import mentions_forget
from community.outbox.models import OutboundEmail
from tests.factories import (
    PASSWORD,
    ChatMessageFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    add_member,
)

from ..conversations.ws import frame_of, open_me, send_json

pytestmark = pytest.mark.django_db(transaction=True)
WORDS = "words-b81c-only-hers"


def delete(person, content="remove"):
    c = Client()
    c.force_login(person)
    response = c.post("/accounts/delete/", {"password": PASSWORD, "content": content})
    assert response.status_code == 200
    return response


@pytest.fixture
def bea(circle):
    user = UserFactory(display_name="Bea Member")
    add_member(circle, user)
    return user


@pytest.fixture
def talk(circle, member, bea):
    User.objects.filter(pk__in=[member.pk, bea.pk]).update(
        allow_messages="circle_members"
    )
    member.refresh_from_db()
    bea.refresh_from_db()
    talk = dm_services.message_start(
        sender=member, recipient_id=bea.pk, body=f"First {WORDS}"
    ).message.conversation
    dm_services.dm_send(author=bea, conversation=talk, body="Bea answers")
    return talk


def test_removed_private_messages_are_a_tombstone_on_the_page_and_it_is_closed(
    client, talk, member, bea
):
    delete(member)
    client.force_login(bea)
    html = client.get(f"/messages/{talk.pk}/").content.decode()
    assert WORDS not in html
    assert "Removed: its author deleted their account." in html
    assert "Bea answers" in html
    assert 'id="dm-form"' not in html  # no reply box to "a former member (…)"
    assert "deleted their account, so this conversation is closed" in html
    assert "You can both still read it" not in html
    talk.refresh_from_db()
    assert talk.closed_at is not None


async def test_removed_private_messages_are_a_tombstone_on_the_socket(
    talk, member, bea
):
    await database_sync_to_async(delete)(member)
    catch_up = await open_me(bea, after=0)
    frames = [(await frame_of(catch_up, "dm.message"))["message"] for _ in range(2)]
    assert WORDS not in json.dumps(frames)
    assert frames[0]["erased"] and "deleted their account" in frames[0]["body_html"]
    await send_json(catch_up, {"type": "dm.history", "conversation": talk.pk})
    history = await frame_of(catch_up, "dm.history")
    assert WORDS not in json.dumps(history)
    assert [m["erased"] for m in history["messages"]] == [True, False]
    await catch_up.disconnect()


def test_keep_closes_the_conversation_but_keeps_the_words(client, talk, member, bea):
    delete(member, "keep")
    client.force_login(bea)
    html = client.get(f"/messages/{talk.pk}/").content.decode()
    assert WORDS in html and 'id="dm-form"' not in html


def test_reactions_and_saved_items_go_and_the_counts_drop(circle, member, host):
    thread = ThreadFactory(circle=circle, author=host)
    post = PostFactory(thread=thread, author=host, body="Something kind")
    Reaction.objects.create(user=member, post=post, reaction="hear_you")
    Reaction.objects.create(user=host, post=post, reaction="thank_you")
    SavedItem.objects.create(user=member, post=post)
    delete(member)
    assert not Reaction.objects.filter(user=member).exists()
    assert not SavedItem.objects.filter(user=member).exists()
    counts = reaction_selectors.counts_for(kind="post", ids=[post.pk])[post.pk]
    assert counts["counts"]["hear_you"] == 0 and counts["counts"]["thank_you"] == 1


def test_keep_leaves_reactions_but_saved_items_go(circle, member, host):
    thread = ThreadFactory(circle=circle, author=host)
    post = PostFactory(thread=thread, author=host)
    Reaction.objects.create(user=member, post=post, reaction="hear_you")
    SavedItem.objects.create(user=member, post=post)
    delete(member, "keep")
    assert Reaction.objects.filter(user=member).count() == 1
    assert not SavedItem.objects.filter(user=member).exists()


def test_mentions_read_a_former_member_and_quotes_stay(circle, member, host):
    User.objects.filter(pk=member.pk).update(display_name="Mira Quill")
    member.refresh_from_db()
    thread = ThreadFactory(circle=circle, author=host)
    mention = PostFactory(
        thread=thread, author=host, body="Thank you @Mira Quill, and @mira quill!"
    )
    PostRevision.objects.create(
        post=mention, body="Thanks @Mira Quill", body_html="<p>Thanks @Mira Quill</p>"
    )
    quote = PostFactory(
        thread=thread, author=host, body=f"> {WORDS}\n\nShe said it well."
    )
    chat = ChatMessageFactory(circle=circle, author=host, body="@Mira Quill hello")
    other = PostFactory(thread=thread, author=host, body="@Mira Quillson is not her")
    delete(member)
    mention.refresh_from_db()
    assert "Quill" not in mention.body and "Quill" not in mention.body_html
    assert mention.body == "Thank you a former member, and a former member!"
    revision = PostRevision.objects.get(post=mention)
    assert "Quill" not in revision.body + revision.body_html
    assert "Quill" not in ChatMessage.objects.get(pk=chat.pk).body
    assert Post.objects.get(pk=other.pk).body == "@Mira Quillson is not her"
    assert WORDS in Post.objects.get(pk=quote.pk).body  # quotes of her words stay


def test_forgetting_mentions_twice_changes_nothing_more(circle, host):
    thread = ThreadFactory(circle=circle, author=host)
    PostFactory(thread=thread, author=host, body="Hi @Old Name")
    assert mentions_forget(name="Old Name", former="a former member") == 1
    assert mentions_forget(name="Old Name", former="a former member") == 0


def test_unsent_email_naming_them_is_cancelled(member, host):
    now = timezone.now()
    common = {"purpose": "notification", "send_after": now, "user": host}
    naming = OutboundEmail.objects.create(
        key="a",
        to_address="hazel@example.org",
        subject="New reply",
        body=f"{member.display_name} replied to your thread.",
        **common,
    )
    unrelated = OutboundEmail.objects.create(
        key="b",
        to_address="hazel@example.org",
        subject="New reply",
        body=f"{member.display_name}son replied to your thread.",
        **common,
    )
    delete(member)
    naming.refresh_from_db()
    unrelated.refresh_from_db()
    assert naming.cancelled_at is not None
    assert unrelated.cancelled_at is None


def test_export_holds_conversations_reactions_and_saved(
    client, circle, talk, member, bea, host
):
    thread = ThreadFactory(circle=circle, author=host, title="Small wins")
    post = PostFactory(thread=thread, author=host)
    Reaction.objects.create(user=member, post=post, reaction="hear_you")
    SavedItem.objects.create(user=member, thread=thread)
    client.force_login(member)
    data = json.loads(client.get("/accounts/export/").content)
    (conversation,) = data["conversations"]
    assert conversation["with"] == "Bea Member"
    assert [m["body"] for m in conversation["messages"]] == [
        f"First {WORDS}",
        "Bea answers",
    ]
    assert [m["from"] for m in conversation["messages"]] == ["you", "Bea Member"]
    assert data["reactions"][0]["reaction"] == "hear_you"
    assert data["reactions"][0]["on"]["thread"] == "Small wins"
    assert data["saved"][0]["on"]["title"] == "Small wins"


def test_export_as_a_page_in_my_time_zone(client, talk, member):
    User.objects.filter(pk=member.pk).update(time_zone="Pacific/Auckland")
    message = talk.messages.order_by("seq").first()
    client.force_login(member)
    response = client.get("/accounts/export/", {"format": "html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h2" in html and "Your private conversations" in html
    assert f"First {WORDS}" in html and "Bea Member" in html
    assert "Pacific/Auckland" in html
    local = message.created_at.astimezone(zoneinfo.ZoneInfo("Pacific/Auckland"))
    assert f"{local:%H:%M}" in html
    assert f'"id": {message.pk}' not in html and "circle_slug" not in html
    assert 'id="export-section-reactions"' in html


def test_self_deleted_chat_says_deleted_by_its_author(client, circle, member, host):
    chat = ChatMessageFactory(circle=circle, author=member, body=f"Chat {WORDS}")
    delete(member)
    chat.refresh_from_db()
    payload = content_events.chat_message_payload(chat)
    assert payload["reason"] == "Deleted by its author"
    client.force_login(host)
    html = client.get(f"/circles/{circle.slug}/").content.decode()
    assert WORDS not in html
    assert "Deleted by its author" in html
    assert "Removed by the circle's moderators" not in html


def test_a_moderators_removal_still_says_so(circle, member):
    chat = ChatMessageFactory(circle=circle, author=member, body="x")
    ChatMessage.objects.filter(pk=chat.pk).update(
        status="removed", removed_reason="spam"
    )
    chat.refresh_from_db()
    payload = content_events.chat_message_payload(chat)
    assert payload["reason"] == "Removed by the circle's moderators"


def test_conversations_of_the_deleted_person_stay_closed_to_new_messages(
    talk, member, bea
):
    delete(member)
    talk = Conversation.objects.get(pk=talk.pk)
    with pytest.raises(dm_services.DMRefused):
        dm_services.dm_send(author=bea, conversation=talk, body="are you there?")


def test_reported_private_words_stay_for_staff_until_resolved(
    client, talk, member, bea, staff
):
    first = talk.messages.order_by("seq").first()
    report = dm_services.dm_report(reporter=bea, message_id=first.pk, reason="spam")
    delete(member)
    client.force_login(staff)
    assert WORDS in client.get("/moderation/messages/").content.decode()
    client.force_login(bea)
    assert WORDS not in client.get(f"/messages/{talk.pk}/").content.decode()
    dm_services.dm_report_resolve(actor=staff, report_id=report.pk)
    assert erasure_finish_resolved() >= 1
    first.refresh_from_db()
    assert first.body == "" and first.erased_at is not None
