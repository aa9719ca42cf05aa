"""Export my data, and delete my account with each choice."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from circles.models import ChatMessage, Membership, Post, Thread
from community.accounts import registry
from community.accounts.erasure import erasure_finish_resolved
from community.accounts.models import ErasurePending, User
from community.notifications.models import Notification
from community.notifications.services import notification_send
from moderation.models import Flag, ModerationAction
from tests.factories import (
    PASSWORD,
    ChatMessageFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.django_db(transaction=True)
CANARY = "canary-7f3e-words"


@pytest.fixture
def words(circle, member, host):
    """The member wrote a thread, a reply, a chat message; the host replied."""
    thread = ThreadFactory(
        circle=circle, author=member, title=f"Thread {CANARY}", body=f"Root {CANARY}"
    )
    reply = PostFactory(thread=thread, author=member, body=f"Reply {CANARY}")
    answer = PostFactory(thread=thread, author=host, body="Host's answer", parent=reply)
    chat = ChatMessageFactory(circle=circle, author=member, body=f"Chat {CANARY}")
    notification_send(
        recipient=host,
        kind="reply",
        text=f"{member.display_name} replied to your thread.",
        url=thread.get_absolute_url(),
    )
    return {"thread": thread, "reply": reply, "answer": answer, "chat": chat}


def test_export_is_one_json_file_of_my_things_only(
    client, member, host, words, django_assert_max_num_queries
):
    member.email = "mira@example.org"
    member.save(update_fields=["email"])
    host.email = "hazel@example.org"
    host.save(update_fields=["email"])
    Flag.objects.create(
        circle=words["thread"].circle,
        kind="post",
        object_id=words["answer"].pk,
        reporter=member,
        reason="other",
        note="my note",
    )
    client.force_login(member)
    with django_assert_max_num_queries(14):
        response = client.get("/accounts/export/")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "mira@example.org"
    assert [t["title"] for t in data["threads"]] == [f"Thread {CANARY}"]
    assert [p["body"] for p in data["posts"]] == [f"Reply {CANARY}"]
    assert [m["body"] for m in data["chat_messages"]] == [f"Chat {CANARY}"]
    assert data["flags_made"][0]["note"] == "my note"
    assert {m["circle_slug"] for m in data["memberships"]} == {"morning-light"}
    assert "conversations" in data and "asks" in data and "notifications" in data
    text = response.content.decode()
    assert "hazel@example.org" not in text and "Host's answer" not in text
    assert Client().get("/accounts/export/").status_code == 302


def test_delete_needs_the_password_and_a_choice(client, member, words):
    client.force_login(member)
    for data in (
        {"password": "wrong", "content": "remove"},
        {"password": PASSWORD, "content": "maybe"},
    ):
        response = client.post("/accounts/delete/", data)
        assert response.status_code == 400
        assert b"errorlist" in response.content
    member.refresh_from_db()
    assert member.is_active


def delete(member, content):
    c = Client()
    c.force_login(member)
    response = c.post("/accounts/delete/", {"password": PASSWORD, "content": content})
    assert response.status_code == 200
    assert b'id="account-deleted"' in response.content
    return c


def test_delete_remove_erases_words_and_keeps_the_shape(member, host, circle, words):
    old_name = member.display_name
    c = delete(member, "remove")
    member.refresh_from_db()
    assert (
        not member.is_active and member.email == "" and not member.has_usable_password()
    )
    assert old_name not in member.display_name and member.username.startswith(
        "deleted-"
    )
    thread = Thread.objects.get(pk=words["thread"].pk)
    assert CANARY not in thread.title
    root = Post.objects.get(thread=thread, parent=None)
    reply = Post.objects.get(pk=words["reply"].pk)
    for post in (root, reply):
        assert post.body == "" and post.deleted_at is not None
    answer = Post.objects.get(pk=words["answer"].pk)
    assert answer.parent_id == reply.pk and answer.body == "Host's answer"
    chat = ChatMessage.objects.get(pk=words["chat"].pk)
    assert (
        chat.body == "" and chat.seq == words["chat"].seq and chat.status == "removed"
    )
    assert not Membership.objects.filter(user=member, state="active").exists()
    texts = "".join(Notification.objects.values_list("text", flat=True))
    assert old_name not in texts
    assert c.get("/accounts/settings/").status_code == 302  # logged out
    assert not Client().login(username=member.username, password=PASSWORD)


def test_delete_keep_leaves_words_under_a_former_member(member, words):
    old_name = member.display_name
    delete(member, "keep")
    member.refresh_from_db()
    assert member.display_name.startswith("a former member")
    assert Post.objects.get(pk=words["reply"].pk).body == f"Reply {CANARY}"
    texts = "".join(Notification.objects.values_list("text", flat=True))
    assert old_name not in texts and "a former member" in texts


def test_reported_words_stay_for_staff_until_resolved_then_go(
    member, circle, words, staff
):
    flag = Flag.objects.create(
        circle=circle,
        kind="message",
        object_id=words["chat"].pk,
        reporter=staff,
        reason="harassment",
    )
    delete(member, "remove")
    chat = ChatMessage.objects.get(pk=words["chat"].pk)
    assert chat.body == f"Chat {CANARY}" and chat.status == "hidden"
    assert erasure_finish_resolved() == 0
    Flag.objects.filter(pk=flag.pk).update(
        resolved_at=timezone.now(), resolution="removed"
    )
    assert erasure_finish_resolved() == 1
    assert erasure_finish_resolved() == 0
    chat.refresh_from_db()
    assert chat.body == "" and chat.status == "removed"
    assert not ErasurePending.objects.exists()


def test_a_sole_host_hands_the_circle_on_when_deleting(host, member, moderator, circle):
    ModerationAction.objects.create(circle=circle, actor=host, action="warn")
    delete(host, "keep")
    assert Membership.objects.get(circle=circle, user=moderator).role == "host"
    assert Notification.objects.filter(recipient=moderator, kind="membership").exists()
    # Audit rows keep the action and the anonymised id.
    action = ModerationAction.objects.get()
    assert action.actor_id == host.pk and action.action == "warn"
    assert not User.objects.get(pk=host.pk).is_active


def test_delete_frees_a_seat_for_the_waitlist(circle, member):
    circle.capacity = 3  # host, moderator-free: host + member + one more
    circle.save(update_fields=["capacity"])
    third = UserFactory(display_name="Third")
    add_member(circle, third)
    waiting = UserFactory(display_name="Waiting")
    add_member(circle, waiting, state=Membership.State.WAITLISTED)
    delete(member, "keep")
    assert Membership.objects.get(circle=circle, user=waiting).state == "active"


def test_other_apps_add_to_export_and_deletion_through_account_data(
    client, member, monkeypatch
):
    calls = []

    class FakeAccountData:
        MODELS = {}

        @staticmethod
        def export(*, user):
            return {"extra": [{"with": "someone", "owner": user.pk}]}

        @staticmethod
        def erase(*, user, content, now, former):
            calls.append((user.pk, content, former))

    real = registry.modules()
    monkeypatch.setattr(registry, "modules", lambda: [*real, FakeAccountData])
    client.force_login(member)
    data = json.loads(client.get("/accounts/export/").content)
    assert data["extra"] == [{"with": "someone", "owner": member.pk}]
    delete(member, "remove")
    assert calls == [(member.pk, "remove", "a former member")]
