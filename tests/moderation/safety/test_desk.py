"""The safety desk: the queue of cases, pick-up of a whole case and its lapse,
escalation once per case, "Take the next case", and rows that never punish."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from community.jobs import tasks
from community.notifications.models import Notification
from moderation.models import SafetyCase, SafetyItem
from moderation.safety.cases import safety_case_join
from moderation.safety.services import safety_escalate_overdue

from ...factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


def open_case(circle, person, level, *, source="words", object_id=None, ago=None):
    item = safety_case_join(
        circle=circle,
        person=person,
        kind="message" if object_id else "not-ok",
        object_id=object_id,
        level=level,
        source=source,
    ).item
    if ago is None:
        return item
    then = timezone.now() - timedelta(minutes=ago)
    SafetyCase.objects.filter(pk=item.case_id).update(opened_at=then)
    if SafetyCase.objects.get(pk=item.case_id).grave_at:
        SafetyCase.objects.filter(pk=item.case_id).update(grave_at=then)
    return item


def person(circle, name):
    user = UserFactory(display_name=name)
    add_member(circle, user)
    return user


def rows(html):
    return re.findall(
        r'data-safety-case="(\d+)" data-level="(\w+)" data-levels="([\w ]+)" '
        r'data-picked-up="(\w+)" data-escalated="(\w+)"',
        html,
    )


def test_the_queue_shows_cases_gravest_then_oldest_with_their_items(
    client, circle, people
):
    cat, dee, eli = (person(circle, n) for n in ("Cat", "Dee", "Eli"))
    open_case(circle, cat, "concern", object_id=11, ago=30)
    open_case(circle, dee, "danger", object_id=12, ago=5)
    old_danger = open_case(circle, eli, "danger", object_id=13, ago=20)
    open_case(circle, eli, "concern", source="refused")
    client.force_login(people["moderator"])
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    assert [r[0] for r in rows(html)] == [str(eli.pk), str(dee.pk), str(cat.pk)]
    assert rows(html)[0][1:] == ("danger", "danger concern", "false", "false")
    assert f'data-safety-item="{old_danger.mark}"' in html
    assert "Take the next case" in html
    safety = html[html.index('id="safety"') : html.index('id="flags-h"')]
    for word in ("/remove/", "/warn/", "/mute/", "/ban/", "It broke the circle"):
        assert word not in safety
    assert 'name="reason"' not in safety


def test_a_pick_up_covers_the_whole_case_and_it_never_escalates(
    client, circle, people, settings
):
    settings.SAFETY_ESCALATE_MINUTES = 15
    author = people["author"]
    first = open_case(circle, author, "danger", object_id=21, ago=30)
    open_case(circle, author, "danger", object_id=22)
    client.force_login(people["moderator"])
    response = client.post("/moderation/message/22/pick-up/")
    assert response.status_code == 302
    case = SafetyCase.objects.get()
    assert case.picked_up_by == people["moderator"]
    assert set(SafetyItem.objects.values_list("picked_up_by", flat=True)) == {
        people["moderator"].pk
    }
    assert safety_escalate_overdue() == 0
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    assert rows(html)[0][3] == "true" and "You are" in html
    assert first.case_id == case.pk


def test_a_pick_up_lapses_after_an_hour_with_nothing_done(
    client, circle, people, settings
):
    settings.SAFETY_PICKUP_MINUTES = 60
    open_case(circle, people["author"], "danger", object_id=31, ago=120)
    client.force_login(people["moderator"])
    client.post("/moderation/message/31/pick-up/")
    SafetyCase.objects.update(holder_active_at=timezone.now() - timedelta(minutes=61))
    assert safety_escalate_overdue() == 1
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    assert rows(html)[0][3:] == ("false", "true")


def test_an_unpicked_case_escalates_once_and_im_not_ok_counts_as_danger(
    client, circle, people, settings
):
    settings.SAFETY_ESCALATE_MINUTES = 15
    client.force_login(people["member"])
    client.post(f"/circles/{circle.slug}/not-ok/")
    SafetyCase.objects.update(grave_at=timezone.now() - timedelta(minutes=16))
    concern_only = person(circle, "Quiet")
    open_case(circle, concern_only, "concern", object_id=41, ago=60)
    assert tasks.safety_escalate_overdue.delay().get() == 1
    assert tasks.safety_escalate_overdue.delay().get() == 0  # idempotent
    told = Notification.objects.filter(kind="safety_escalated")
    assert {n.recipient_id for n in told} == {
        people["host"].pk,
        people["moderator"].pk,
        people["staff"].pk,
    }
    assert all("Please look now" in n.text for n in told)
    assert not SafetyCase.objects.get(person=concern_only).escalated_at


def test_done_closes_the_whole_case(client, circle, people):
    open_case(circle, people["author"], "danger", object_id=51)
    open_case(circle, people["author"], "concern", source="not_ok")
    client.force_login(people["host"])
    assert client.post("/moderation/message/51/safety-done/").status_code == 302
    case = SafetyCase.objects.get()
    assert case.resolved_at and case.resolved_by == people["host"]
    assert not SafetyItem.objects.filter(resolved_at=None).exists()
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    assert not rows(html)


def test_take_the_next_case_picks_the_gravest_nobody_holds(client, circle, people):
    cat, dee = person(circle, "Cat"), person(circle, "Dee")
    open_case(circle, cat, "concern", object_id=61, ago=50)
    open_case(circle, dee, "unsafe", object_id=62, ago=1)
    url = f"/circles/{circle.slug}/moderation/take-next/"
    client.force_login(people["moderator"])
    client.post(url)
    assert SafetyCase.objects.get(person=dee).picked_up_by == people["moderator"]
    client.force_login(people["host"])
    client.post(url)
    assert SafetyCase.objects.get(person=cat).picked_up_by == people["host"]
    response = client.post(url, follow=True)
    assert "Every open case has someone with it right now." in (
        response.content.decode()
    )
    client.force_login(people["member"])
    assert client.post(url).status_code == 403


def test_who_may_act_on_a_case(client, circle, people, outsider):
    open_case(circle, people["author"], "danger", object_id=71)
    for who, status in ((outsider, 404), (people["member"], 403)):
        client.force_login(who)
        assert client.post("/moderation/message/71/pick-up/").status_code == status
        assert client.post("/moderation/message/71/safety-done/").status_code == status
    assert client.post("/moderation/message/999/pick-up/").status_code == 404


def test_a_moderators_own_words_make_a_case_they_never_see_hold_or_close(
    client, circle, people
):
    moderator = people["moderator"]
    open_case(circle, moderator, "danger", object_id=81)
    told = Notification.objects.filter(kind="safety")
    assert {n.recipient_id for n in told} == {people["host"].pk}
    client.force_login(moderator)
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    assert not rows(html)
    assert client.post("/moderation/message/81/pick-up/").status_code == 404
    assert client.post("/moderation/message/81/safety-done/").status_code == 404


def test_the_only_keepers_own_words_go_to_staff(client, people, staff):
    from tests.factories import CircleFactory

    keeper = UserFactory(display_name="Only Host")
    lonely = CircleFactory(host=keeper)
    open_case(lonely, keeper, "danger", object_id=91)
    told = Notification.objects.filter(kind="safety")
    assert {n.recipient_id for n in told} == {staff.pk}


def test_the_queue_fragment_is_the_safety_section_alone(client, circle, people):
    open_case(circle, people["author"], "danger", object_id=95)
    client.force_login(people["moderator"])
    html = client.get(
        f"/circles/{circle.slug}/moderation/?fragment=safety"
    ).content.decode()
    assert html.lstrip().startswith('<section id="safety"')
    assert f'data-safety-case="{people["author"].pk}"' in html
    client.force_login(people["member"])
    assert (
        client.get(f"/circles/{circle.slug}/moderation/?fragment=safety").status_code
        == 403
    )


def test_take_the_next_case_with_nothing_open_says_so(client, circle, people):
    client.force_login(people["moderator"])
    response = client.post(f"/circles/{circle.slug}/moderation/take-next/", follow=True)
    assert "No one needs a check-in right now." in response.content.decode()


def test_a_muted_persons_im_not_ok_still_tells_the_keepers(client, circle, people):
    client.force_login(people["muted"])
    client.post(f"/circles/{circle.slug}/not-ok/")
    SafetyCase.objects.update(alerted_at=timezone.now() - timedelta(hours=1))
    from circles.models import Membership

    assert Membership.objects.get(user=people["muted"]).muted_until
    from django.core.cache import cache

    cache.clear()  # past the press limit too
    client.post(f"/circles/{circle.slug}/not-ok/")
    assert (
        Notification.objects.filter(recipient=people["host"], kind="safety").count()
        == 2
    )
