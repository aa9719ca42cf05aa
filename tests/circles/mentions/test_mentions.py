"""@mentions: the longest member name after `@`, notified once, never to someone who
left or ignores the writer, never to oneself; completion for members only."""

from types import SimpleNamespace

import pytest

from circles.chat import services as chat_services
from circles.mentions.services import mentioned_members, mentions_notify
from circles.models import Membership
from circles.threads import services as thread_services
from community.notifications.models import Notification
from moderation.models import Ignore, WatchedWord

from ...factories import ThreadFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(circle):
    user = UserFactory(display_name="Ann")
    add_member(circle, user)
    return user


@pytest.fixture
def ann_lee(circle):
    user = UserFactory(display_name="Ann Lee")
    add_member(circle, user)
    return user


def notify(author, circle, text):
    return mentions_notify(author=author, circle=circle, text=text, url="/somewhere/")


def test_the_longest_member_name_wins(circle, member, ann, ann_lee):
    assert notify(member, circle, "thank you @ann lee, truly") == [ann_lee]
    assert notify(member, circle, "and @Ann too") == [ann]
    assert notify(member, circle, "@Annabel is not a member") == []


def test_each_person_is_notified_once(circle, member, ann):
    assert notify(member, circle, "@Ann @Ann @ann!") == [ann]
    notification = Notification.objects.get(recipient=ann)
    assert notification.kind == "mention" and notification.url == "/somewhere/"
    assert "Mira Member" in notification.text and "Morning Light" in notification.text


def test_not_yourself_not_who_left_not_who_ignores_you_not_outsiders(
    circle, member, ann, ann_lee, outsider
):
    add_member(circle, ann_lee, state=Membership.State.LEFT)
    Ignore.objects.create(user=ann, ignored=member)
    text = "@Mira Member @Ann @Ann Lee @Otto Outsider"
    assert notify(member, circle, text) == []
    assert not Notification.objects.exists()


def test_parsing_alone():
    a, al, b = (SimpleNamespace(pk=n) for n in range(3))
    users = {"ann": a, "ann lee": al, "bo": b}
    found = mentioned_members(text="@Ann Lee and @bo, @bob", members=users)
    assert found == [al, b]
    assert mentioned_members(text="@bob @bo_x", members=users) == []
    assert mentioned_members(text="no at sign", members=users) == []


def test_a_constant_number_of_queries(circle, member, django_assert_max_num_queries):
    names = []
    for n in range(10):
        user = UserFactory(display_name=f"Friend {n}")
        add_member(circle, user)
        names.append(f"@Friend {n}")
    # members; each notification: ignored? still a member? then stored in a savepoint
    with django_assert_max_num_queries(1 + 5 * 10):
        assert len(notify(member, circle, " ".join(names))) == 10


def test_completion_lists_display_names_of_members(
    login, circle, member, ann, ann_lee, outsider
):
    body = login(member).get(f"/circles/{circle.slug}/members.json", {"q": "an"}).json()
    assert body == {"members": ["Ann", "Ann Lee"]}
    everyone = (
        login(member).get(f"/circles/{circle.slug}/members.json").json()["members"]
    )
    assert "Mira Member" not in everyone and "Otto Outsider" not in everyone
    assert all("@" not in name for name in everyone)  # names, never addresses


@pytest.mark.parametrize("who", ["outsider", "other_moderator", "banned", "left"])
def test_completion_of_a_hidden_circle_is_missing(
    client, private_circle, who, outsider, other_moderator
):
    person = {"outsider": outsider, "other_moderator": other_moderator}.get(who)
    if person is None:
        person = UserFactory()
        add_member(private_circle, person, state=who)
    client.force_login(person)
    assert client.get(f"/circles/{private_circle.slug}/members.json").status_code == 404


def test_people_already_told_are_skipped(circle, member, ann, ann_lee):
    told = mentions_notify(
        author=member, circle=circle, text="@Ann and @Ann Lee", url="/", skip={ann.pk}
    )
    assert told == [ann_lee]


def _wired(module):
    if not hasattr(module, "mentions_notify"):
        pytest.skip("the writers do not call mentions_notify yet (lead wiring)")


def test_a_reply_mentioning_someone_notifies_them_once(
    circle, member, host, ann, django_capture_on_commit_callbacks
):
    _wired(thread_services)
    thread = ThreadFactory(circle=circle, author=host)
    with django_capture_on_commit_callbacks(execute=True):
        thread_services.post_reply(
            author=member, thread=thread, body="@Ann and @Hazel Host, thank you"
        )
    assert Notification.objects.filter(recipient=ann, kind="mention").count() == 1
    # The thread's author hears of it once, as a reply.
    assert list(
        Notification.objects.filter(recipient=host).values_list("kind", flat=True)
    ) == ["reply"]


def test_a_chat_message_mentioning_someone_notifies_them(
    circle, member, ann, django_capture_on_commit_callbacks
):
    _wired(chat_services)
    with django_capture_on_commit_callbacks(execute=True):
        posted = chat_services.chat_message_post(
            author=member, circle=circle, body="hi @ann", client_id="m1"
        )
    notification = Notification.objects.get(recipient=ann, kind="mention")
    assert notification.url == f"/circles/{circle.slug}/?message={posted.message.pk}"


def test_held_words_notify_no_one(
    circle, member, ann, django_capture_on_commit_callbacks
):
    _wired(chat_services)
    WatchedWord.objects.create(phrase="hushword", action=WatchedWord.Action.HOLD)
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.chat_message_post(
            author=member, circle=circle, body="hushword @Ann", client_id="m2"
        )
    assert not Notification.objects.filter(kind="mention").exists()
