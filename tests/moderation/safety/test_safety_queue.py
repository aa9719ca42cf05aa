"""Safety items: what reaches the queue when someone may be in danger, who picked it
up, how long it waited; and the private notices moderators' actions send."""

import re

import pytest

from circles.memberships import sanctions
from circles.models import ContentStatus
from circles.threads import services as thread_services
from community.notifications.models import Notification
from moderation.models import SafetyItem
from moderation.review import services as review_services

pytestmark = pytest.mark.django_db

DANGER_WORDS = "I want to kill myself tonight"


def safety_rows(html: str) -> list[str]:
    return re.findall(r'data-safety-item="([^"]+)"', html)


def test_crisis_words_put_a_danger_item_first_in_the_queue(client, circle, people):
    concern = thread_services.thread_create(
        author=people["member"], circle=circle, title="Hard week", body="ok words"
    ).thread
    client.force_login(people["member"])
    client.post(f"/circles/{circle.slug}/not-ok/")
    written = thread_services.thread_create(
        author=people["author"], circle=circle, title="Tonight", body=DANGER_WORDS
    )
    item = SafetyItem.objects.get(kind="post", object_id=written.post.pk)
    assert (item.level, item.source, item.person) == (
        "danger",
        "words",
        people["author"],
    )
    assert concern.status == ContentStatus.VISIBLE
    client.force_login(people["moderator"])
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    not_ok = SafetyItem.objects.get(kind="not-ok")
    assert safety_rows(html) == [f"post:{written.post.pk}", f"not-ok:{not_ok.pk}"]
    assert "Nobody has picked this up yet" in html
    assert f"/circles/{circle.slug}/members/{people['author'].pk}/check-in/" in html
    # the check-in form comes before the other buttons of a danger item
    row = html[html.index(f'data-safety-item="post:{written.post.pk}"') :]
    assert row.index("check-in") < row.index("pick-up")


def test_picking_up_shows_the_others_who_is_reaching_out(client, circle, people):
    written = thread_services.thread_create(
        author=people["author"], circle=circle, title="Tonight", body=DANGER_WORDS
    )
    client.force_login(people["moderator"])
    url = f"/moderation/post/{written.post.pk}/pick-up/"
    response = client.post(url)
    assert response.status_code == 302
    item = SafetyItem.objects.get(object_id=written.post.pk)
    assert item.picked_up_by == people["moderator"] and item.picked_up_at
    client.force_login(people["host"])
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    assert "Mona Moderator is reaching out" in html or (
        f"{people['moderator'].display_name} is reaching out" in html
    )
    client.post(f"/moderation/post/{written.post.pk}/safety-done/")
    item.refresh_from_db()
    assert item.resolved_at is not None
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    assert safety_rows(html) == []


@pytest.mark.parametrize(
    "who,status",
    [
        ("moderator", 302),
        ("host", 302),
        ("staff", 302),
        ("member", 403),
        ("banned", 404),
        ("other_moderator", 404),
    ],
)
def test_who_may_pick_up_a_safety_item(client, circle, people, who, status):
    written = thread_services.thread_create(
        author=people["author"], circle=circle, title="Tonight", body=DANGER_WORDS
    )
    client.force_login(people[who])
    url = f"/moderation/post/{written.post.pk}/pick-up/"
    assert client.post(url).status_code == status
    picked = SafetyItem.objects.get(object_id=written.post.pk).picked_up_by
    assert (picked == people[who]) == (status == 302)


def test_an_unknown_safety_item_is_a_404_like_any_missing_thing(client, people):
    client.force_login(people["moderator"])
    assert client.post("/moderation/thread/999999/pick-up/").status_code == 404
    assert client.post("/moderation/not-ok/999999/pick-up/").status_code == 404


def test_a_members_worry_becomes_a_concern_item(client, circle, people, post):
    client.force_login(people["member"])
    client.post(
        "/moderation/flag/", {"kind": "post", "id": post.pk, "reason": "self_harm"}
    )
    item = SafetyItem.objects.get(kind="post", object_id=post.pk)
    assert (item.level, item.source, item.person) == (
        "concern",
        "flag",
        people["author"],
    )


def test_removal_tells_the_author_privately_and_others_only_that_it_was_removed(
    client, circle, people, post
):
    review_services.content_remove(
        actor=people["moderator"],
        kind="post",
        object_id=post.pk,
        reason="Please keep details of methods out of the circle",
    )
    notice = Notification.objects.get(recipient=people["author"], kind="moderation")
    assert "Please keep details of methods out of the circle" in notice.text
    assert "you can keep taking part" in notice.text
    client.force_login(people["member"])
    html = client.get(post.thread.get_absolute_url()).content.decode()
    assert "Please keep details of methods" not in html
    assert "Removed by the circle" in html or "Removed by a moderator" in html
    others = Notification.objects.exclude(recipient=people["author"])
    assert not others.filter(text__contains="details of methods").exists()


def test_mute_and_ban_tell_the_person_why_and_what_they_can_do(circle, people):
    sanctions.membership_mute(
        actor=people["moderator"],
        circle=circle,
        user_id=people["member"].pk,
        minutes=30,
        reason="Slow down for a bit",
    )
    mute = Notification.objects.get(recipient=people["member"], kind="moderation")
    assert "muted you until" in mute.text and "Slow down for a bit" in mute.text
    assert "You can still read" in mute.text
    sanctions.membership_ban(
        actor=people["moderator"],
        circle=circle,
        user_id=people["author"].pk,
        reason="Repeated harassment",
    )
    ban = Notification.objects.get(recipient=people["author"], kind="moderation")
    assert "Repeated harassment" in ban.text and "can no longer see it" in ban.text


def test_a_reason_ending_in_a_full_stop_reads_as_one_sentence(circle, people, post):
    review_services.content_remove(
        actor=people["moderator"], kind="post", object_id=post.pk, reason="Too raw."
    )
    sanctions.membership_mute(
        actor=people["moderator"],
        circle=circle,
        user_id=people["member"].pk,
        minutes=5,
        reason="Take a breather.",
    )
    texts = Notification.objects.filter(kind="moderation").values_list(
        "text", flat=True
    )
    assert all(".." not in text for text in texts), list(texts)


def test_the_queue_says_when_an_unpicked_item_is_escalated(
    client, circle, people, settings
):
    settings.SAFETY_ESCALATE_MINUTES = 15
    thread_services.thread_create(
        author=people["author"], circle=circle, title="Tonight", body=DANGER_WORDS
    )
    client.force_login(people["moderator"])
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    assert "within 15 minutes is sent to every host and moderator" in html
