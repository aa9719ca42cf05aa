"""Saved items: private, toggled, listed; what the person can no longer see is
listed without a word of it."""

import re

import pytest

from circles.models import ContentStatus, Membership
from circles.reactions import selectors as reaction_selectors
from circles.saved import selectors, services
from circles.saved.models import SavedItem

from ...factories import (
    ChatMessageFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(circle, host):
    return ThreadFactory(circle=circle, author=host, title="A thread worth keeping")


def save(client, kind, item_id, **extra):
    return client.post("/saved/", {"kind": kind, "id": item_id, **extra})


def test_save_and_unsave_each_kind(login, circle, member, host, thread):
    post = PostFactory(thread=thread, author=host, body="words to come back to")
    message = ChatMessageFactory(circle=circle, author=host, body="a chat to keep")
    client = login(member)
    for kind, item in (("thread", thread), ("post", post), ("message", message)):
        response = save(client, kind, item.pk, next=f"/circles/{circle.slug}/")
        assert (
            response.status_code == 302 and response.url == f"/circles/{circle.slug}/"
        )
    page = client.get("/saved/").content.decode()
    assert 'id="saved-items"' in page
    for text in ("A thread worth keeping", "words to come back to", "a chat to keep"):
        assert text in page
    assert f'href="/circles/{circle.slug}/threads/{thread.pk}/#post-{post.pk}"' in page
    assert f'href="/circles/{circle.slug}/?message={message.pk}"' in page
    save(client, "post", post.pk)
    assert SavedItem.objects.filter(user=member).count() == 2


def test_json_answer(login, member, thread):
    response = login(member).post(
        "/saved/", {"kind": "thread", "id": thread.pk}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"saved": True}


def test_saved_items_are_private(login, member, host, thread):
    services.saved_toggle(user=member, kind="thread", item_id=thread.pk)
    assert "A thread worth keeping" not in login(host).get("/saved/").content.decode()


def test_what_i_can_no_longer_see_is_listed_without_its_words(
    login, circle, member, host, thread
):
    post = PostFactory(thread=thread, author=host, body="secretword in a post")
    message = ChatMessageFactory(circle=circle, author=host, body="secretword in chat")
    for kind, item in (("thread", thread), ("post", post), ("message", message)):
        services.saved_toggle(user=member, kind=kind, item_id=item.pk)
    post.status = ContentStatus.REMOVED
    post.save()
    page = login(member).get("/saved/").content.decode()
    assert page.count("no longer available") == 1 and "secretword in a post" not in page
    add_member(circle, member, state=Membership.State.LEFT)
    page = login(member).get("/saved/").content.decode()
    assert page.count("no longer available") == 3
    assert "secretword" not in page and "A thread worth keeping" not in page
    # ...and can still be tidied away.
    assert save(login(member), "message", message.pk).status_code == 302
    assert SavedItem.objects.filter(user=member).count() == 2


@pytest.mark.parametrize("who", ["outsider", "other_moderator", "banned", "left"])
def test_an_item_of_a_hidden_circle_is_missing(
    client, private_circle, host, who, outsider, other_moderator
):
    message = ChatMessageFactory(circle=private_circle, author=host)
    person = {"outsider": outsider, "other_moderator": other_moderator}.get(who)
    if person is None:
        person = UserFactory()
        add_member(private_circle, person, state=who)
    client.force_login(person)
    assert save(client, "message", message.pk).status_code == 404
    assert save(client, "message", 10**9).status_code == 404
    assert not SavedItem.objects.exists()


def test_a_listed_circle_i_am_not_in_is_missing_too(login, circle, outsider, thread):
    assert save(login(outsider), "thread", thread.pk).status_code == 404


def test_held_words_of_others_are_missing(login, circle, member, host):
    held = ChatMessageFactory(circle=circle, author=host, status=ContentStatus.HELD)
    assert save(login(member), "message", held.pk).status_code == 404


def test_bad_input_is_missing(login, member):
    client = login(member)
    for kind, item_id in (("user", 1), ("post", "abc"), ("post", 2**70), ("post", "")):
        assert save(client, kind, item_id).status_code == 404


def test_the_list_costs_a_constant_number_of_queries(
    circle, member, host, django_assert_max_num_queries
):
    for _ in range(8):
        thread = ThreadFactory(circle=circle, author=host)
        services.saved_toggle(user=member, kind="thread", item_id=thread.pk)
        services.saved_toggle(
            user=member, kind="post", item_id=PostFactory(thread=thread).pk
        )
        message = ChatMessageFactory(circle=circle, author=host)
        services.saved_toggle(user=member, kind="message", item_id=message.pk)
    with django_assert_max_num_queries(2):
        items = selectors.saved_list(user=member)
    assert len(items) == 24 and all(i["available"] for i in items)


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/saved/").status_code == 302


def test_the_export_lists_my_saved_items_and_reactions(circle, member, host, thread):
    services.saved_toggle(user=member, kind="thread", item_id=thread.pk)
    message = ChatMessageFactory(circle=circle, author=host)
    reaction_selectors.Reaction.objects.create(
        user=member, message=message, reaction="thanks"
    )
    assert [(s["kind"], s["id"]) for s in selectors.saved_of(user=member)] == [
        ("thread", thread.pk)
    ]
    (mine,) = reaction_selectors.reactions_of(user=member)
    assert (mine["reaction"], mine["message"]) == ("thanks", message.pk)


def test_the_threads_own_button_says_saved_and_leads_back(login, member, thread):
    """The markup the template drew before circles/saved/button.py drew it."""
    client = login(member)
    url = f"{thread.get_absolute_url()}?a=1&b=<2>"
    for state, pressed, words in (
        ("save", "false", "Save"),
        (
            "saved",
            "true",
            'Saved<span class="visually-hidden"> (select to unsave)</span>',
        ),
    ):
        if state == "saved":
            SavedItem.objects.create(user=member, thread=thread)
        page = client.get(url).content.decode()
        button = page[page.index('<p class="thread-save">') :]
        button = button[: button.index("</p>") + 4]
        button = re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1T", button)
        assert button == (
            '<p class="thread-save"><form method="post" action="/saved/" '
            'class="inline-form save-form"><input type="hidden" '
            'name="csrfmiddlewaretoken" value="T"><input type="hidden" name="kind" '
            f'value="thread"><input type="hidden" name="id" value="{thread.pk}">'
            '<input type="hidden" name="next" value="'
            f'{thread.get_absolute_url()}?a=1&amp;b=%3C2%3E"><button type="submit" '
            f'class="link-button" aria-pressed="{pressed}">{words}</button></form></p>'
        )
