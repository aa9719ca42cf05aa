"""Notifications that reach people: email per kind (off / at once / daily digest),
quiet hours, one-click unsubscribe, and notifications that clear when followed."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from community.jobs import tasks
from community.notifications import preferences, services
from community.notifications.models import Notification
from community.outbox import tasks as outbox_tasks
from community.outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


def verified(user, **fields):
    user.email = f"{user.username}@example.org"
    user.email_verified_at = timezone.now()
    for k, v in fields.items():
        setattr(user, k, v)
    user.save()
    return user


def send(user, kind="reply", text="Hazel replied to your ask “Sleep”."):
    return services.notification_send(
        recipient=user, kind=kind, text=text, url="/circles/x/threads/1/#post-2"
    )


def test_a_reply_is_emailed_at_once_by_default_and_the_rest_are_not(member):
    verified(member)
    send(member, "reply")
    send(member, "mention", "Hazel mentioned you.")
    send(member, "membership", "Your request was approved.")
    assert [m.subject for m in mail.outbox] == [
        "Circles: Hazel replied to your ask “Sleep”."
    ]
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "/notifications/" in message.body and "/open/" in message.body


def test_nothing_is_emailed_to_an_unverified_address(member):
    member.email = "mira@example.org"
    member.save(update_fields=["email"])
    send(member)
    assert not mail.outbox
    assert Notification.objects.filter(recipient=member).count() == 1  # in-app


def test_email_off_sends_nothing_but_keeps_the_notification(member):
    verified(member, notify={"reply": "off"})
    send(member)
    assert not mail.outbox
    assert Notification.objects.filter(recipient=member).exists()


def test_every_email_has_a_one_click_unsubscribe_for_its_kind(member):
    verified(member)
    send(member)
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert link in mail.outbox[0].body
    path = link.split("8000", 1)[1]
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(path)
    assert page.status_code == 200 and b"Stop these emails" in page.content
    member.refresh_from_db()
    assert preferences.choice(member, "reply") == "instant"  # GET changes nothing
    done = anonymous.post(path)  # RFC 8058: no CSRF token, no session
    assert done.status_code == 200 and b'id="unsubscribed"' in done.content
    member.refresh_from_db()
    assert preferences.choice(member, "reply") == "off"
    assert anonymous.post(path[:-5] + "xxxx/").status_code == 404


def test_quiet_hours_hold_an_email_until_they_end(member):
    verified(member, time_zone="Europe/London", quiet_hours="22:00-07:30")
    night = dt.datetime(2026, 1, 10, 23, 15, tzinfo=dt.UTC)  # London = UTC in Jan
    with time_machine.travel(night, tick=False):
        send(member)
        assert not mail.outbox
        email = OutboundEmail.objects.get()
        assert email.send_after == dt.datetime(2026, 1, 11, 7, 30, tzinfo=dt.UTC)
        outbox_tasks.email_flush.delay()
        assert not mail.outbox
    with time_machine.travel(dt.datetime(2026, 1, 11, 7, 31, tzinfo=dt.UTC)):
        outbox_tasks.email_flush.delay()
        outbox_tasks.email_flush.delay()
    assert len(mail.outbox) == 1


def test_safety_email_ignores_choices_and_quiet_hours(member):
    verified(
        member,
        time_zone="UTC",
        quiet_hours="00:00-23:59",
        notify={"safety": "off"},
    )
    send(member, "self_harm", "A post in your circle may need you.")
    send(member, "support_alert", "A member is not OK.")
    assert len(mail.outbox) == 2
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert "whatever their email choices" in mail.outbox[0].body


def test_the_daily_digest_gathers_a_day_and_is_sent_once(member):
    verified(member, time_zone="Asia/Tokyo", notify={"reply": "digest"})
    morning = dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC)  # 10:00 in Tokyo
    with time_machine.travel(morning, tick=False):
        send(member, text="First reply.")
        send(member, text="Second reply.")
        assert not mail.outbox
        assert tasks.notification_digests.delay().get() == 0  # before 18:00 there
    evening = dt.datetime(2026, 3, 3, 9, 5, tzinfo=dt.UTC)  # 18:05 in Tokyo
    with time_machine.travel(evening, tick=False):
        assert tasks.notification_digests.delay().get() == 1
        assert tasks.notification_digests.delay().get() == 0
        send(member, text="Third reply.")
        assert tasks.notification_digests.delay().get() == 0  # tomorrow's
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "First reply." in body and "Second reply." in body
    assert "Third reply." not in body
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"]


def test_following_a_notification_marks_it_read(client, member, outsider):
    notification = send(member)
    client.force_login(member)
    response = client.get(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response.url == "/circles/x/threads/1/#post-2"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert services.unread_count(user=member) == 0
    # Someone else's notification is a 404, like a missing one.
    client.force_login(outsider)
    assert client.get(f"/notifications/{notification.pk}/open/").status_code == 404


def test_reading_the_thread_clears_its_notifications(member):
    send(member)
    services.notification_send(
        recipient=member, kind="reply", text="Other", url="/circles/x/threads/10/"
    )
    assert (
        services.notifications_clear_for_url(user=member, url="/circles/x/threads/1/")
        == 1
    )
    assert services.unread_count(user=member) == 1


def test_the_notifications_page_links_through_the_mark_read_redirect(client, member):
    notification = send(member)
    client.force_login(member)
    html = client.get("/notifications/").content.decode()
    assert f'href="/notifications/{notification.pk}/open/"' in html


def test_a_digest_held_by_evening_quiet_hours_goes_the_next_morning(member):
    verified(
        member, time_zone="UTC", quiet_hours="17:00-07:00", notify={"reply": "digest"}
    )
    with time_machine.travel(dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)):
        send(member, text="Noon reply.")
    with time_machine.travel(dt.datetime(2026, 3, 3, 19, 0, tzinfo=dt.UTC)):
        assert tasks.notification_digests.delay().get() == 0  # quiet
    with time_machine.travel(dt.datetime(2026, 3, 4, 7, 10, tzinfo=dt.UTC)):
        assert tasks.notification_digests.delay().get() == 1
    assert "Noon reply." in mail.outbox[0].body


def test_renaming_a_sender_changes_whole_words_only(member):
    send(member, text="Al replied. Always glad to help, Al.")
    assert services.notifications_rename_sender(old_name="Al", new_name="X") == 1
    assert Notification.objects.get().text == "X replied. Always glad to help, X."


def test_an_unsubscribe_link_expires_and_dies_with_the_account(member):
    from community.accounts import erasure

    verified(member)
    with time_machine.travel(timezone.now() - dt.timedelta(days=91), tick=False):
        old = preferences.unsubscribe_token(member, "reply")
    fresh = preferences.unsubscribe_token(member, "reply")
    assert Client().get(f"/unsubscribe/{old}/").status_code == 404
    assert Client().get(f"/unsubscribe/{fresh}/").status_code == 200
    erasure.account_delete(user=member, content="keep")
    assert Client().get(f"/unsubscribe/{fresh}/").status_code == 404
