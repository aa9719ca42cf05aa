"""Moderation as moderators and members meet it: flags, the queue, every action and
every permission boundary, the audit log, watched words, ignore, "I'm not OK"."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from circles.models import ChatMessage, Membership, Post
from circles.threads import services as thread_services
from community.notifications.models import Notification
from moderation.models import Flag, Ignore, ModerationAction, WatchedWord
from moderation.review import services as review_services

from ..circles.ws import drain, next_frame, of_type, open_socket
from ..factories import ChatMessageFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(circle, member, moderator, host, staff, other_moderator):
    banned = UserFactory(display_name="Bo Banned")
    add_member(circle, banned, state=Membership.State.BANNED)
    muted = UserFactory(display_name="Mo Muted")
    add_member(circle, muted)
    Membership.objects.filter(user=muted).update(
        muted_until=timezone.now() + timedelta(hours=1)
    )
    author = UserFactory(display_name="Ari Author")
    add_member(circle, author)
    return {
        "member": member,
        "moderator": moderator,
        "host": host,
        "staff": staff,
        "other_moderator": other_moderator,
        "banned": banned,
        "muted": muted,
        "author": author,
    }


@pytest.fixture
def post(circle, people):
    thread = thread_services.thread_create(
        author=people["host"], circle=circle, title="A thread", body="opening"
    ).thread
    return thread_services.post_reply(
        author=people["author"], thread=thread, body="unkind words"
    ).post


def flag(client, user, kind, item_id, reason="harmful", note=""):
    client.force_login(user)
    return client.post(
        "/moderation/flag/",
        {"kind": kind, "id": item_id, "reason": reason, "note": note},
    )


# --- flags -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who,status",
    [
        ("member", 302),
        ("muted", 302),
        ("moderator", 302),
        ("host", 302),
        ("staff", 302),
        ("banned", 404),
        ("other_moderator", 404),
    ],
)
def test_who_may_flag(client, people, post, who, status):
    response = flag(client, people[who], "post", post.pk)
    assert response.status_code == status
    assert Flag.objects.filter(reporter=people[who]).exists() == (status == 302)


def test_one_flag_per_member_per_item_and_never_your_own(client, people, post):
    assert flag(client, people["member"], "post", post.pk).status_code == 302
    again = flag(client, people["member"], "post", post.pk)
    assert again.status_code == 400 and "already flagged" in again.content.decode()
    own = flag(client, people["author"], "post", post.pk)
    assert own.status_code == 400 and "your own words" in own.content.decode()
    assert Flag.objects.count() == 1


def test_a_flag_needs_a_known_reason_and_keeps_the_note_on_error(client, people, post):
    response = flag(
        client, people["member"], "post", post.pk, reason="rude", note="my note"
    )
    assert response.status_code == 400
    assert (
        "my note" in response.content.decode()
        and "errorlist" in response.content.decode()
    )


def test_flags_are_rate_limited(client, people, circle, monkeypatch):
    from community import ratelimit

    monkeypatch.setattr(
        ratelimit, "FLAGS_PER_USER", ratelimit.Limit(2, 60, "Too many flags.")
    )
    messages = [
        ChatMessageFactory(circle=circle, author=people["author"]) for _ in range(3)
    ]
    codes = [
        flag(client, people["member"], "message", m.pk).status_code for m in messages
    ]
    assert codes == [302, 302, 400]


def test_enough_distinct_flags_hide_an_item_until_a_moderator_decides(
    client, circle, people, post, django_capture_on_commit_callbacks
):
    circle.flag_auto_hide_threshold = 2
    circle.save()
    flag(client, people["member"], "post", post.pk)
    post.refresh_from_db()
    assert post.status == "visible"
    flag(client, people["muted"], "post", post.pk)
    post.refresh_from_db()
    assert post.status == "hidden"
    client.force_login(people["member"])
    html = client.get(post.thread.get_absolute_url()).content.decode()
    assert "Hidden while moderators review it" in html and "unkind words" not in html
    client.force_login(people["moderator"])
    assert "unkind words" in client.get(post.thread.get_absolute_url()).content.decode()
    assert ModerationAction.objects.filter(
        action="auto_hide", target_id=post.pk
    ).exists()


# --- the queue ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who,status",
    [
        ("moderator", 200),
        ("host", 200),
        ("staff", 200),
        ("member", 403),
        ("muted", 403),
        ("banned", 404),
        ("other_moderator", 404),
    ],
)
def test_who_sees_the_review_queue(client, circle, people, who, status):
    client.force_login(people[who])
    assert client.get(f"/circles/{circle.slug}/moderation/").status_code == status


def test_the_queue_puts_self_harm_first_then_oldest(client, circle, people, post):
    older = ChatMessageFactory(
        circle=circle, author=people["author"], body="older message"
    )
    flag(client, people["member"], "message", older.pk, reason="spam")
    flag(
        client,
        people["member"],
        "post",
        post.pk,
        reason="harassment",
        note="please look",
    )
    worry = ChatMessageFactory(
        circle=circle, author=people["author"], body="worrying message"
    )
    flag(client, people["member"], "message", worry.pk, reason="self_harm")
    client.force_login(people["moderator"])
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    order = [
        html.index(text)
        for text in ("worrying message", "older message", "unkind words")
    ]
    assert order == sorted(order)
    assert "Harassment" in html and "please look" in html and "Ari Author" in html


def test_the_private_queue_of_a_hidden_circle_is_a_404_for_outsiders(
    client, private_circle, outsider
):
    client.force_login(outsider)
    assert client.get(f"/circles/{private_circle.slug}/moderation/").status_code == 404


def test_staff_see_every_circle_with_open_flags(client, circle, people, post):
    flag(client, people["member"], "post", post.pk)
    client.force_login(people["staff"])
    assert circle.name in client.get("/moderation/").content.decode()
    client.force_login(people["moderator"])
    assert client.get("/moderation/").status_code == 403


# --- actions and their boundaries --------------------------------------------------------
ACTION_PEOPLE = [
    ("moderator", True),
    ("host", True),
    ("staff", True),
    ("member", False),
    ("muted", False),
    ("banned", False),
    ("other_moderator", False),
]


@pytest.mark.parametrize("who,allowed", ACTION_PEOPLE)
def test_who_may_remove(client, people, post, who, allowed):
    client.force_login(people[who])
    response = client.post(f"/moderation/post/{post.pk}/remove/", {"reason": "unkind"})
    post.refresh_from_db()
    assert (post.status == "removed") == allowed
    expected = 302 if allowed else 403 if who in ("member", "muted") else 404
    assert response.status_code == expected


@pytest.mark.parametrize("who,allowed", ACTION_PEOPLE)
def test_who_may_lock_a_thread(client, people, post, who, allowed):
    client.force_login(people[who])
    client.post(f"/moderation/thread/{post.thread_id}/lock/")
    post.thread.refresh_from_db()
    assert post.thread.locked == allowed


def test_remove_shows_the_reason_keeps_the_original_and_tells_reporters(
    client, people, post
):
    flag(client, people["member"], "post", post.pk)
    client.force_login(people["moderator"])
    client.post(f"/moderation/post/{post.pk}/remove/", {"reason": "Unkind to a member"})
    post.refresh_from_db()
    assert post.body == "unkind words"  # never hard-deleted
    client.force_login(people["muted"])
    html = client.get(post.thread.get_absolute_url()).content.decode()
    assert (
        "Removed by a moderator: Unkind to a member" in html
        and "unkind words" not in html
    )
    outcome = Notification.objects.get(recipient=people["member"], kind="flag_outcome")
    assert "removed" in outcome.text and "Mira" not in outcome.text
    action = ModerationAction.objects.get(action="remove")
    assert (action.actor, action.target_user, action.reason) == (
        people["moderator"],
        people["author"],
        "Unkind to a member",
    )


def test_a_removal_needs_a_reason(client, people, post):
    client.force_login(people["moderator"])
    client.post(f"/moderation/post/{post.pk}/remove/", {"reason": ""})
    post.refresh_from_db()
    assert post.status == "visible"


def test_restore_and_dismiss(client, people, post):
    client.force_login(people["moderator"])
    client.post(f"/moderation/post/{post.pk}/remove/", {"reason": "x"})
    client.post(f"/moderation/post/{post.pk}/restore/")
    post.refresh_from_db()
    assert post.status == "visible"
    flag(client, people["member"], "post", post.pk)
    client.force_login(people["moderator"])
    client.post(f"/moderation/post/{post.pk}/dismiss/")
    assert Flag.objects.get().resolution == "dismissed"
    assert Notification.objects.filter(
        recipient=people["member"], kind="flag_outcome"
    ).exists()
    assert list(
        ModerationAction.objects.order_by("id").values_list("action", flat=True)
    ) == [
        "remove",
        "restore",
        "dismiss",
    ]


def test_warn_is_a_private_notice_to_the_author(client, people, post):
    client.force_login(people["moderator"])
    client.post(
        f"/moderation/post/{post.pk}/warn/",
        {"reason": "Please no advice on listen-only asks"},
    )
    notice = Notification.objects.get(kind="warning")
    assert notice.recipient == people["author"] and "listen-only" in notice.text
    assert ModerationAction.objects.filter(
        action="warn", target_user=people["author"]
    ).exists()


def test_held_content_is_approved_from_the_queue(client, circle, people):
    WatchedWord.objects.create(circle=circle, phrase="casino", action="hold")
    thread = thread_services.thread_create(
        author=people["host"], circle=circle, title="Chat", body="opening"
    ).thread
    held = thread_services.post_reply(
        author=people["author"], thread=thread, body="visit my casino"
    ).post
    assert held.status == "held"
    client.force_login(people["member"])
    assert (
        "visit my casino" not in client.get(thread.get_absolute_url()).content.decode()
    )
    client.force_login(people["author"])
    assert "visit my casino" in client.get(thread.get_absolute_url()).content.decode()
    client.force_login(people["moderator"])
    assert (
        "visit my casino"
        in client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    )
    client.post(f"/moderation/post/{held.pk}/approve/")
    held.refresh_from_db()
    assert held.status == "visible"


def test_a_moderator_of_another_circle_has_no_power_here(client, people, post, circle):
    client.force_login(people["other_moderator"])
    for url in (
        f"/moderation/post/{post.pk}/remove/",
        f"/moderation/post/{post.pk}/warn/",
        f"/circles/{circle.slug}/members/{people['author'].pk}/mute/",
        f"/circles/{circle.slug}/members/{people['author'].pk}/ban/",
    ):
        assert client.post(url, {"reason": "x", "minutes": 5}).status_code in (
            403,
            404,
        ), url
    assert not ModerationAction.objects.exists()


# --- live removal on open sockets -------------------------------------------------------
@pytest.mark.django_db(transaction=True)
async def test_a_removed_chat_message_disappears_from_open_sockets(
    circle, member, moderator, host
):
    message = await database_sync_to_async(ChatMessageFactory)(
        circle=circle, author=host
    )
    socket = await open_socket(member, circle.slug)
    await database_sync_to_async(review_services.content_remove)(
        actor=moderator, kind="message", object_id=message.pk, reason="not kind"
    )
    frame = await next_frame(socket, "chat.removed")
    assert frame == {"type": "chat.removed", "id": message.pk, "reason": "not kind"}
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_removed_post_disappears_from_open_thread_pages(
    circle, member, moderator, host
):
    def make():
        thread = thread_services.thread_create(
            author=host, circle=circle, title="Live", body="x"
        ).thread
        return thread_services.post_reply(
            author=host, thread=thread, body="to remove"
        ).post

    post = await database_sync_to_async(make)()
    socket = await open_socket(member, circle.slug)
    await database_sync_to_async(review_services.content_remove)(
        actor=moderator, kind="post", object_id=post.pk, reason="off topic"
    )
    frame = await next_frame(socket, "post.removed")
    assert (frame["id"], frame["thread"], frame["reason"]) == (
        post.pk,
        post.thread_id,
        "off topic",
    )
    await socket.disconnect()


# --- audit log ---------------------------------------------------------------------------
def test_the_audit_log_cannot_be_changed_or_deleted(
    client, circle, people, post, admin_user
):
    client.force_login(people["moderator"])
    client.post(f"/moderation/post/{post.pk}/remove/", {"reason": "kept forever"})
    action = ModerationAction.objects.get()
    with pytest.raises(PermissionError):
        ModerationAction.objects.filter(pk=action.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        ModerationAction.objects.filter(pk=action.pk).delete()
    with pytest.raises(PermissionError):
        action.delete()
    action.reason = "rewritten"
    with pytest.raises(PermissionError):
        action.save()
    client.force_login(admin_user)
    base = "/admin/moderation/moderationaction/"
    assert client.get(f"{base}{action.pk}/change/").status_code in (200, 403)
    assert (
        client.post(f"{base}{action.pk}/change/", {"reason": "rewritten"}).status_code
        == 403
    )
    assert client.post(f"{base}{action.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(
        base,
        {"action": "delete_selected", "_selected_action": [action.pk], "post": "yes"},
    ).status_code in (200, 302, 403)
    assert client.get(f"{base}add/").status_code == 403
    assert ModerationAction.objects.get().reason == "kept forever"


def test_the_audit_log_shows_who_what_whom_when_why_to_moderators(
    client, circle, people, post
):
    client.force_login(people["moderator"])
    client.post(f"/moderation/post/{post.pk}/remove/", {"reason": "kept forever"})
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    audit = html[html.index('id="audit-h"') :]
    for text in (
        "Moss Moderator",
        "Removed content",
        "Ari Author",
        "kept forever",
        "<time",
    ):
        assert text in audit


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
    flag_ = Flag.objects.get(reason="self_harm")
    assert flag_.reporter is None
    alerted = set(
        Notification.objects.filter(kind="self_harm").values_list(
            "recipient", flat=True
        )
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


# --- personal tools --------------------------------------------------------------------
def test_not_ok_shows_the_card_and_quietly_alerts_moderators_only(
    client, circle, people
):
    client.force_login(people["member"])
    response = client.post(f"/circles/{circle.slug}/not-ok/", follow=True)
    assert 'id="crisis-resources"' in response.content.decode()
    alerts = Notification.objects.filter(kind="support_alert")
    assert {n.recipient_id for n in alerts} == {
        people["moderator"].pk,
        people["host"].pk,
    }
    assert not ChatMessage.objects.exists() and Post.objects.count() == 0
    client.post(f"/circles/{circle.slug}/not-ok/")  # again: the card, no second alert
    assert Notification.objects.filter(kind="support_alert").count() == 2
    client.force_login(people["muted"])
    assert (
        'id="crisis-resources"'
        not in client.get(circle.get_absolute_url()).content.decode()
    )


def test_not_ok_is_for_members(client, circle, private_circle, people, outsider):
    client.force_login(outsider)
    assert client.post(f"/circles/{private_circle.slug}/not-ok/").status_code == 404
    assert client.post(f"/circles/{circle.slug}/not-ok/").status_code == 403


def test_ignoring_collapses_their_words_for_me_alone(client, circle, people, post):
    client.force_login(people["member"])
    response = client.post(
        f"/members/{people['author'].pk}/ignore/", {"next": "/circles/"}
    )
    assert response.status_code == 302
    assert Ignore.objects.filter(
        user=people["member"], ignored=people["author"]
    ).exists()
    html = client.get(post.thread.get_absolute_url()).content.decode()
    assert "You chose to hide what Ari Author writes" in html
    client.force_login(people["muted"])
    assert (
        "You chose to hide"
        not in client.get(post.thread.get_absolute_url()).content.decode()
    )
    assert (
        not Notification.objects.filter(recipient=people["author"])
        .exclude(kind="reply")
        .exists()
    )
    client.force_login(people["member"])
    client.post(f"/members/{people['author'].pk}/unignore/", {"next": "/circles/"})
    assert not Ignore.objects.exists()


def test_you_cannot_ignore_yourself(client, people):
    client.force_login(people["member"])
    client.post(f"/members/{people['member'].pk}/ignore/")
    assert not Ignore.objects.exists()
