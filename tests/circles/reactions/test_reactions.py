"""Reactions: toggled per person and item, counted as totals, told live, never on
words the circle cannot read, and the list of who reacted keeps ignores secret."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from circles import permissions
from circles.chat_message import PageReader, page_html
from circles.models import ContentStatus, Membership, Thread
from circles.reactions import selectors, services
from circles.reactions.models import Reaction
from community.ratelimit_config import Rate
from moderation.models import Ignore

from ...factories import (
    ChatMessageFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    add_member,
)
from ..chat.ws import next_frame, open_socket

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def post(circle, host):
    thread = ThreadFactory(circle=circle, author=host)
    return PostFactory(thread=thread, author=host)


@pytest.fixture
def message(circle, host):
    return ChatMessageFactory(circle=circle, author=host)


def react(client, circle, kind, item_id, reaction="hear_you", **extra):
    data = {"kind": kind, "id": item_id, "reaction": reaction, **extra}
    return client.post(f"/circles/{circle.slug}/react/", data, **JSON)


def test_a_reaction_toggles_and_counts_are_totals(login, circle, member, post):
    client = login(member)
    first = react(client, circle, "post", post.pk)
    assert first.status_code == 200
    assert first.json()["counts"] == {
        "hear_you": 1,
        "strength": 0,
        "me_too": 0,
        "thanks": 0,
    }
    react(client, circle, "post", post.pk, "thanks")
    again = react(client, circle, "post", post.pk)
    assert again.json()["counts"]["hear_you"] == 0
    assert again.json()["counts"]["thanks"] == 1
    assert Reaction.objects.count() == 1


def test_one_of_each_per_person_many_people_add_up(circle, member, moderator, message):
    for user in (member, moderator):
        services.reaction_toggle(
            user=user,
            circle=circle,
            kind="message",
            item_id=message.pk,
            reaction="strength",
        )
    counts = selectors.counts_for(kind="message", ids=[message.pk])[message.pk]
    assert counts["counts"]["strength"] == 2


def test_a_form_post_goes_back_to_a_page_of_this_site_only(login, circle, member, post):
    client = login(member)
    url = f"/circles/{circle.slug}/react/"
    back = f"/circles/{circle.slug}/threads/{post.thread_id}/#post-{post.pk}"
    data = {"kind": "post", "id": post.pk, "reaction": "me_too"}
    response = client.post(url, {**data, "next": back})
    assert response.status_code == 302 and response.url == back
    response = client.post(url, {**data, "next": "https://evil.example/"})
    assert response.url == circle.get_absolute_url()


def test_an_unknown_reaction_or_kind_is_refused_in_words(login, circle, member, post):
    client = login(member)
    response = react(client, circle, "post", post.pk, "laugh")
    assert response.status_code == 400
    assert "reactions offered" in response.json()["error"]
    assert react(client, circle, "thread", post.pk).status_code == 400
    assert not Reaction.objects.exists()


@pytest.mark.parametrize(
    "status", [ContentStatus.REMOVED, ContentStatus.HELD, ContentStatus.HIDDEN]
)
def test_no_reactions_on_words_the_circle_cannot_read(
    login, circle, member, moderator, post, status
):
    post.status = status
    post.save()
    assert react(login(member), circle, "post", post.pk).status_code == 404
    # A moderator sees the item, and is told why instead.
    assert react(login(moderator), circle, "post", post.pk).status_code == 403
    assert not Reaction.objects.exists()


def test_no_reactions_on_a_deleted_post(login, circle, member, post):
    post.deleted_at = timezone.now()
    post.save()
    assert react(login(member), circle, "post", post.pk).status_code == 403


def test_an_id_from_another_circle_is_missing(login, circle, member, other_circle):
    elsewhere = ChatMessageFactory(circle=other_circle)
    assert react(login(member), circle, "message", elsewhere.pk).status_code == 404
    assert react(login(member), circle, "message", "x1").status_code == 404


def test_a_muted_member_reads_but_does_not_react(circle, member, post):
    from django.utils import timezone  # noqa: PLC0415 - one test needs it

    Membership.objects.filter(user=member).update(
        muted_until=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(PermissionDenied):
        services.reaction_toggle(
            user=member, circle=circle, kind="post", item_id=post.pk, reaction="thanks"
        )


def test_the_change_is_broadcast_to_the_circle_after_commit(
    circle, member, post, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        "community.realtime._send",
        lambda group, event: sent.append((group, event)) or True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reaction_toggle(
            user=member,
            circle=circle,
            kind="post",
            item_id=post.pk,
            reaction="strength",
        )
    assert len(sent) == 1
    group, event = sent[0]
    assert group == f"circle.{circle.pk}" and event["type"] == "reaction.changed"
    assert '"kind":"post"' in event["text"] and f'"id":{post.pk}' in event["text"]
    assert '"strength":1' in event["text"]


def test_rate_limited_when_too_quick(login, circle, member, post, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "REACTION": Rate(2, 60.0)}
    client = login(member)
    assert react(client, circle, "post", post.pk).status_code == 200
    assert react(client, circle, "post", post.pk).status_code == 200
    third = react(client, circle, "post", post.pk)
    assert third.status_code == 429 and third.json()["error"]


def test_who_reacted_leaves_out_people_the_viewer_ignores(
    login, circle, member, host, moderator, message
):
    Reaction.objects.create(user=moderator, message=message, reaction="hear_you")
    Reaction.objects.create(user=member, message=message, reaction="hear_you")
    Ignore.objects.create(user=host, ignored=moderator)
    client = login(host)
    url = f"/circles/{circle.slug}/react/message/{message.pk}/"
    assert client.get(url, **JSON).json()["hear_you"] == ["Mira Member"]
    page = client.get(url).content.decode()
    assert "Mira Member" in page and "Moss Moderator" not in page
    # Counts stay totals: the ignore is not revealed by a number.
    counts = client.get(
        f"/circles/{circle.slug}/react/?kind=message&ids={message.pk}", **JSON
    ).json()
    assert counts["counts"][str(message.pk)]["hear_you"] == 2


def test_counts_for_a_page_of_items_only_show_visible_items_of_this_circle(
    login, circle, member, host, other_circle
):
    shown = ChatMessageFactory(circle=circle, author=host)
    held = ChatMessageFactory(circle=circle, author=host, status=ContentStatus.HELD)
    elsewhere = ChatMessageFactory(circle=other_circle)
    Reaction.objects.create(user=member, message=shown, reaction="thanks")
    body = (
        login(member)
        .get(
            f"/circles/{circle.slug}/react/?kind=message&ids={shown.pk},{held.pk},{elsewhere.pk}",
            **JSON,
        )
        .json()
    )
    assert list(body["counts"]) == [str(shown.pk)]
    assert body["mine"][str(shown.pk)] == ["thanks"]


@pytest.mark.parametrize("who", ["outsider", "other_moderator", "banned", "left"])
def test_a_hidden_circle_answers_404_at_every_reaction_url(
    client, private_circle, host, who, outsider, other_moderator
):
    message = ChatMessageFactory(circle=private_circle, author=host)
    person = {"outsider": outsider, "other_moderator": other_moderator}.get(who)
    if person is None:
        person = UserFactory()
        add_member(private_circle, person, state=who)
    client.force_login(person)
    base = f"/circles/{private_circle.slug}/react/"
    assert react(client, private_circle, "message", message.pk).status_code == 404
    assert client.get(f"{base}?kind=message&ids={message.pk}").status_code == 404
    assert client.get(f"{base}message/{message.pk}/").status_code == 404
    assert not Reaction.objects.exists()


def test_an_outsider_of_a_listed_circle_is_refused(login, circle, outsider, post):
    assert react(login(outsider), circle, "post", post.pk).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, circle, post):
    response = client.post(f"/circles/{circle.slug}/react/", {"kind": "post"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def _chat_bars(user, circle, messages):
    """The circle page's messages as `user` reads them (circles/chat_message.py)."""
    request = RequestFactory().get(circle.get_absolute_url())
    request.user = user
    reader = PageReader(user.pk, False, frozenset(), frozenset())
    for m in messages:
        m.sensitive_level = ""
    return page_html(
        request,
        circle,
        messages,
        reader,
        can_post=permissions.can_post_in_circle(user, circle),
        sensitive={},
    )


def test_a_chat_page_of_bars_costs_a_constant_number_of_queries(
    circle, host, member, django_assert_max_num_queries
):
    messages = [ChatMessageFactory(circle=circle, author=host) for _ in range(12)]
    for m in messages[:6]:
        Reaction.objects.create(user=member, message=m, reaction="me_too")
    permissions.forget_cached_perms(member)
    with django_assert_max_num_queries(3):  # permissions, reactions, saved items
        html = _chat_bars(member, circle, messages)
    assert html.count("data-reaction-bar") == 12
    assert html.count('class="reaction reaction-mine" aria-pressed="true"') == 6


def test_the_asker_of_a_listen_only_ask_sees_people_heard_them(
    client, circle, member, host, moderator
):
    ask = ThreadFactory(
        circle=circle,
        author=member,
        kind=Thread.Kind.ASK,
        reply_norm=Thread.ReplyNorm.LISTEN_ONLY,
    )
    root = ask.posts.get(parent=None)
    for user, reaction in (
        (host, "hear_you"),
        (host, "strength"),
        (moderator, "hear_you"),
    ):
        Reaction.objects.create(user=user, post=root, reaction=reaction)
    client.force_login(member)
    mine = client.get(ask.get_absolute_url()).content.decode()
    assert "2 people heard you" in mine
    client.force_login(host)
    theirs = client.get(ask.get_absolute_url()).content.decode()
    assert "heard you" not in theirs and 'data-reaction-sum="' in theirs


def test_no_bar_on_words_others_may_not_see(circle, host, member):
    unseen = [
        ChatMessageFactory(circle=circle, author=host, status=status)
        for status in (
            ContentStatus.REMOVED,
            ContentStatus.HELD,
            ContentStatus.HIDDEN,
            ContentStatus.CARED,
        )
    ]
    for reader in (member, host):  # the host sees held and hidden words, no bar
        html = _chat_bars(reader, circle, unseen)
        assert "data-reaction-bar" not in html


def test_a_service_refusal_is_404_for_an_unseen_item(circle, member, host):
    held = ChatMessageFactory(circle=circle, author=host, status=ContentStatus.HELD)
    with pytest.raises(Http404):
        services.reaction_toggle(
            user=member,
            circle=circle,
            kind="message",
            item_id=held.pk,
            reaction="thanks",
        )


@pytest.mark.django_db(transaction=True)
async def test_the_circle_socket_forwards_reaction_changed(circle, member, host):
    message = await sync_to_async(ChatMessageFactory)(circle=circle, author=host)
    socket = await open_socket(host, circle.slug)
    await sync_to_async(services.reaction_toggle)(
        user=member,
        circle=circle,
        kind="message",
        item_id=message.pk,
        reaction="hear_you",
    )
    frame = await next_frame(socket, "reaction.changed")
    assert frame == {
        "type": "reaction.changed",
        "kind": "message",
        "id": message.pk,
        "counts": {"hear_you": 1, "strength": 0, "me_too": 0, "thanks": 0},
        "people": 1,
    }
    await socket.disconnect()


def test_who_reacted_to_a_post_its_author_deleted_is_missing(
    login, circle, member, host, post
):
    from circles.threads import services as thread_services

    Reaction.objects.create(user=member, post=post, reaction="hear_you")
    url = f"/circles/{circle.slug}/react/post/{post.pk}/"
    assert login(member).get(url, **JSON).status_code == 200
    thread_services.post_delete(author=host, post=post)
    for person in (member, host):
        client = login(person)
        assert client.get(url, **JSON).status_code == 404
        assert client.get(url).status_code == 404
