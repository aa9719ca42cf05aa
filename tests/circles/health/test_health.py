"""Circle health: for hosts, moderators and staff; numbers only; constant queries."""

from datetime import UTC, datetime, timedelta

import pytest

from circles.health.selectors import circle_health
from circles.models import ChatMessage, Membership, Post, Thread
from moderation.models import Flag, SafetyCase, SafetyItem

from ...factories import (
    ChatMessageFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)
CANARY = "healthcanary"


def ask(circle, author, *, created, replied_after=None):
    thread = ThreadFactory(
        circle=circle, author=author, kind=Thread.Kind.ASK, title=CANARY
    )
    first = created + replied_after if replied_after is not None else None
    Thread.objects.filter(pk=thread.pk).update(created_at=created, first_reply_at=first)
    return thread


@pytest.fixture
def history(circle, host, member, moderator):
    this_week = MONDAY + timedelta(hours=1)
    ask(circle, member, created=this_week, replied_after=timedelta(hours=2))
    ask(circle, member, created=this_week, replied_after=timedelta(hours=20))
    ask(circle, member, created=this_week, replied_after=timedelta(hours=30))
    ask(circle, member, created=this_week)
    last_week = MONDAY - timedelta(days=3)
    ask(circle, host, created=last_week, replied_after=timedelta(hours=1))
    # contract, third round: health counts safety cases, and misreads
    case_time = MONDAY + timedelta(hours=5)
    for resolved_after in (timedelta(minutes=30), timedelta(minutes=90), None):
        person = UserFactory()
        case = SafetyCase.objects.create(
            circle=circle,
            person=person,
            level="concern",
            levels="concern",
            opened_at=case_time,
            resolved_at=case_time + resolved_after if resolved_after else None,
        )
        SafetyItem.objects.create(
            circle=circle,
            case=case,
            person=person,
            kind="post",
            object_id=1,
            level="concern",
            source="words",
            misread_at=case_time if resolved_after is None else None,
        )
    Flag.objects.create(
        circle=circle, kind="post", object_id=2, reason=Flag.Reason.SPAM
    )
    thread = ThreadFactory(circle=circle, author=host)
    for author in (member, moderator):
        PostFactory(thread=thread, author=author, body=CANARY)
        ChatMessageFactory(circle=circle, author=author, body=CANARY)
    ChatMessageFactory(circle=circle, author=member, body=CANARY)
    Post.objects.update(created_at=this_week)
    ChatMessage.objects.update(created_at=this_week)


def test_the_numbers(circle, history):
    health = circle_health(circle=circle, now=NOW)
    assert health["weeks"][-1] == MONDAY.date() and len(health["weeks"]) == 8
    assert health["asks"][-2:] == [1, 4]
    assert health["within_12h"][-2:] == [100, 25]
    assert health["within_24h"][-1] == 50
    assert health["median_first_reply_hours"][-1] == 20.0
    assert health["waiting_now"] == 1
    assert health["safety_items"][-1] == 3 and health["safety_open"] == 1
    assert health["median_handled_hours"][-1] == 1.0
    assert health["misread"][-1] == 1 and health["misread"][0] == 0
    assert health["active_members"][-1] == 3  # host (root post), member, moderator
    assert health["asks"][0] == 0 and health["within_12h"][0] is None


def test_a_constant_number_of_queries(circle, history, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        circle_health(circle=circle, now=NOW)


def test_the_page_has_charts_and_no_ones_words(login, circle, host, history):
    response = login(host).get(f"/circles/{circle.slug}/health/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="circle-health"' in html and html.count("<svg") >= 6
    section = html.split('id="circle-health"')[1].split("</section>")[0]
    assert "<script" not in section and "<svg" in section
    assert CANARY not in html


@pytest.mark.parametrize("who", ["moderator", "staff"])
def test_moderators_and_staff_see_it(login, circle, moderator, staff, who):
    user = {"moderator": moderator, "staff": staff}[who]
    assert login(user).get(f"/circles/{circle.slug}/health/").status_code == 200


def test_a_plain_member_is_refused_anyone_else_missing(
    login, circle, member, outsider, other_moderator
):
    url = f"/circles/{circle.slug}/health/"
    assert login(member).get(url).status_code == 403
    assert login(outsider).get(url).status_code == 404
    assert login(other_moderator).get(url).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "other_moderator", "banned", "left"])
def test_a_hidden_circle_answers_404(
    client, private_circle, who, outsider, other_moderator
):
    person = {"outsider": outsider, "other_moderator": other_moderator}.get(who)
    if person is None:
        person = UserFactory()
        add_member(private_circle, person, state=who)
    client.force_login(person)
    assert client.get(f"/circles/{private_circle.slug}/health/").status_code == 404


def test_a_former_moderator_who_left_is_missing(client, circle, moderator):
    add_member(circle, moderator, state=Membership.State.LEFT)
    client.force_login(moderator)
    # The circle is listed, so its public page exists; its health does not for them.
    assert client.get(f"/circles/{circle.slug}/health/").status_code == 404
