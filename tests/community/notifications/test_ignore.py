"""No notification or email names a person the recipient ignores: replies, mentions,
a helpful mark, messages and closing a conversation, all through one check in the
notification service."""

import pytest
from django.core import mail
from django.utils import timezone

from circles.threads import services as thread_services
from community.notifications import services
from community.notifications.models import Notification
from community.outbox.models import OutboundEmail
from moderation.models import Ignore

pytestmark = pytest.mark.django_db


def verified(user):
    user.email = f"{user.username}@example.org"
    user.email_verified_at = timezone.now()
    user.save()
    return user


def test_the_service_drops_a_notice_naming_someone_ignored(member, host):
    verified(member)
    Ignore.objects.create(user=member, ignored=host)
    sent = services.notification_send(
        recipient=member, kind="reply", text="Hazel replied.", url="/x/", about=host
    )
    assert sent is None
    assert not Notification.objects.exists()
    assert not OutboundEmail.objects.exists() and not mail.outbox
    # the other way round (host ignores nobody) it is sent
    assert services.notification_send(
        recipient=host, kind="reply", text="Mira replied.", url="/x/", about=member
    )


def test_replies_from_an_ignored_person_tell_nothing(
    circle, member, host, moderator, django_capture_on_commit_callbacks
):
    verified(member)
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Hello", body="x"
    ).thread
    Ignore.objects.create(user=member, ignored=host)
    with django_capture_on_commit_callbacks(execute=True):
        reply = thread_services.post_reply(
            author=host, thread=thread, body="hi @Mira Member"
        ).post
        thread_services.post_reply(
            author=host, thread=thread, body="again", parent_id=reply.pk
        )
        thread_services.post_reply(author=moderator, thread=thread, body="hello")
    texts = list(
        Notification.objects.filter(recipient=member).values_list("text", flat=True)
    )
    assert texts == ["Moss Moderator replied to your thread “Hello”."]
    assert not OutboundEmail.objects.filter(body__contains="Hazel").exists()
    assert all("Hazel" not in m.body for m in mail.outbox)
