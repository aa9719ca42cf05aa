"""Each scheduled task, run as the worker would run it, twice: the second run (a
retry, a redelivery, a second scheduler) changes nothing and sends nothing."""

import re
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.test import override_settings
from django.utils import timezone

from circles.models import ChatPresence, Thread
from community.jobs import tasks
from community.notifications.models import Notification
from community.outbox import delivery, mail
from community.outbox import tasks as outbox_tasks
from community.outbox.models import OutboundEmail
from moderation.models import SafetyCase, SafetyItem
from moderation.safety.cases import safety_case_join
from tests.factories import ThreadFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db(transaction=True)


def verified(user, address=None):
    user.email = address or f"{user.username}@example.org"
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])
    return user


def test_the_nudge_task_nudges_an_overdue_ask_once(circle, host, member, settings):
    settings.ASK_NUDGE_AFTER_HOURS = 0.01
    ask = ThreadFactory(circle=circle, author=member, kind=Thread.Kind.ASK)
    Thread.objects.filter(pk=ask.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert tasks.asks_nudge.delay().get() == 1
    assert tasks.asks_nudge.delay().get() == 0
    nudges = Notification.objects.filter(kind="ask_waiting", recipient=host)
    assert nudges.count() == 1


def test_stale_presence_rows_are_cleaned_and_fresh_ones_kept(circle, member, host):
    now = timezone.now()
    ChatPresence.objects.create(
        circle=circle, user=member, channel_name="a", seen_at=now - timedelta(hours=1)
    )
    ChatPresence.objects.create(circle=circle, user=host, channel_name="b", seen_at=now)
    assert tasks.presence_clean.delay().get() == 1
    assert list(ChatPresence.objects.values_list("channel_name", flat=True)) == ["b"]
    assert tasks.presence_clean.delay().get() == 0


def danger_item(circle, member=None, *, minutes_ago):
    """A `danger` safety item about a person's words (a new member unless given),
    whose case reached danger `minutes_ago`."""
    if member is None:
        member = UserFactory()
        add_member(circle, member)
    thread = ThreadFactory(circle=circle, author=member)
    item = safety_case_join(
        circle=circle,
        kind="thread",
        object_id=thread.pk,
        person=member,
        level=SafetyItem.Level.DANGER,
        source=SafetyItem.Source.WORDS,
    ).item
    then = timezone.now() - timedelta(minutes=minutes_ago)
    SafetyItem.objects.filter(pk=item.pk).update(created_at=then)
    SafetyCase.objects.filter(pk=item.case_id).update(grave_at=then, opened_at=then)
    return item


@override_settings(SAFETY_ESCALATE_MINUTES=0.5)
def test_an_overdue_danger_item_is_escalated_once_to_hosts_mods_and_staff(
    circle, host, moderator, member, staff
):
    verified(host)
    staff.notify = {"safety": "off"}  # escalation ignores the choice
    staff.save(update_fields=["notify"])
    verified(staff)
    danger_item(circle, member, minutes_ago=1)
    danger_item(circle, minutes_ago=0.1)  # someone else's: not yet overdue
    django_mail.outbox.clear()

    assert tasks.safety_escalate_overdue.delay().get() == 1
    assert tasks.safety_escalate_overdue.delay().get() == 0  # a second scheduler

    told = Notification.objects.filter(kind="safety_escalated")
    assert sorted(told.values_list("recipient__display_name", flat=True)) == sorted(
        [host.display_name, moderator.display_name, staff.display_name]
    )
    assert SafetyCase.objects.exclude(escalated_at=None).count() == 1
    # Email only to verified addresses (the moderator has none), one each.
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(
        [host.email, staff.email]
    )
    assert member.display_name not in "".join(m.body for m in django_mail.outbox)


@override_settings(SAFETY_ESCALATE_MINUTES=0.5)
def test_a_resolved_or_picked_up_item_is_not_escalated(circle, host, member):
    done = danger_item(circle, member, minutes_ago=5)
    SafetyCase.objects.filter(pk=done.case_id).update(resolved_at=timezone.now())
    held = danger_item(circle, minutes_ago=5)
    SafetyCase.objects.filter(pk=held.case_id).update(
        picked_up_by=host,
        picked_up_at=timezone.now(),
        holder_active_at=timezone.now(),
    )
    assert tasks.safety_escalate_overdue.delay().get() == 0
    assert not Notification.objects.filter(kind="safety_escalated").exists()


def test_email_is_sent_once_however_often_its_task_runs(member):
    verified(member)
    email = mail.email_queue(
        key="test:1",
        purpose="notification",
        user=member,
        to_address=member.email,
        subject="Hello",
        body="Body",
    )
    assert (
        mail.email_queue(
            key="test:1",
            purpose="notification",
            user=member,
            to_address=member.email,
            subject="Hello",
            body="Body",
        )
        is None
    )
    outbox_tasks.email_send.delay(email.pk)
    outbox_tasks.email_send.delay(email.pk)
    outbox_tasks.email_flush.delay()
    assert len(django_mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1


def test_email_to_an_address_that_changed_since_is_cancelled(member):
    verified(member, "old@example.org")
    email = OutboundEmail.objects.create(
        key="k",
        purpose="notification",
        user=member,
        to_address="old@example.org",
        subject="s",
        body="b",
        send_after=timezone.now(),
    )
    member.email = "new@example.org"
    member.save(update_fields=["email"])
    assert delivery.email_deliver(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.cancelled_at is not None and not django_mail.outbox


def test_a_failing_send_is_recorded_and_retried_later(member, monkeypatch):
    verified(member)
    email = OutboundEmail.objects.create(
        key="k",
        purpose="notification",
        user=member,
        to_address=member.email,
        subject="s",
        body="b",
        send_after=timezone.now(),
    )

    def refuse(self, *a, **k):
        raise OSError("SMTP server refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(OSError):
        delivery.email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.sent_at is None and email.attempts == 1
    assert "refused" in email.last_error
    monkeypatch.undo()
    assert delivery.email_deliver(email_id=email.pk) is True


def test_every_task_retries_with_backoff():
    for task in (
        tasks.asks_nudge,
        tasks.safety_escalate_overdue,
        tasks.presence_clean,
        outbox_tasks.email_send,
        outbox_tasks.email_flush,
        tasks.notification_digests,
        tasks.erasure_sweep,
    ):
        assert task.autoretry_for == (Exception,)
        assert task.retry_backoff and task.max_retries >= 5
    from django.conf import settings

    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "jobs.asks_nudge",
        "jobs.safety_escalate_overdue",
        "jobs.presence_clean",
        "jobs.notification_digests",
        "jobs.email_flush",
    } <= scheduled
    assert settings.CELERY_BEAT_SCHEDULE["asks-nudge"]["schedule"] == 60.0


@override_settings(SAFETY_ESCALATE_MINUTES=0.5)
def test_the_queue_marks_escalated_items(client, circle, host, member):
    late = danger_item(circle, member, minutes_ago=2)
    fresh = danger_item(circle, minutes_ago=0)
    tasks.safety_escalate_overdue.delay()
    client.force_login(host)
    html = client.get(f"/circles/{circle.slug}/moderation/").content.decode()
    found = re.findall(r'data-safety-case="(\d+)"[^>]*data-escalated="(\w+)"', html)
    marks = dict(found)
    assert marks == {str(late.person_id): "true", str(fresh.person_id): "false"}


def test_an_email_whose_task_was_lost_goes_with_the_next_flush(member, monkeypatch):
    verified(member)
    monkeypatch.setattr(
        outbox_tasks.email_send, "delay", lambda *a: None
    )  # broker lost it
    email = mail.email_queue(
        key="lost:1",
        purpose="notification",
        user=member,
        to_address=member.email,
        subject="s",
        body="b",
    )
    monkeypatch.undo()
    assert outbox_tasks.email_flush.delay().get() == 0  # fresh: may still be on its way
    OutboundEmail.objects.filter(pk=email.pk).update(
        send_after=timezone.now() - timedelta(minutes=2)
    )
    assert outbox_tasks.email_flush.delay().get() == 1
    assert len(django_mail.outbox) == 1


def test_a_broker_that_is_down_does_not_fail_the_write(member, monkeypatch):
    verified(member)

    def down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(outbox_tasks.email_send, "delay", down)
    email = mail.email_queue(
        key="down:1",
        purpose="notification",
        user=member,
        to_address=member.email,
        subject="s",
        body="b",
    )
    assert OutboundEmail.objects.filter(pk=email.pk, sent_at__isnull=True).exists()
