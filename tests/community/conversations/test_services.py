"""The rules of private conversations, service by service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from circles.models import Membership
from community.conversations import rules, services
from community.conversations.errors import DMRefused
from community.conversations.models import (
    Conversation,
    DirectMessage,
    DirectMessageReport,
)
from community.notifications.models import Notification
from community.ratelimit_config import Rate
from moderation.models import Ignore

from ...factories import CircleFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

CRISIS = "I want to kill myself tonight"


@pytest.fixture
def bea(circle):
    user = UserFactory(display_name="Bea Member")
    add_member(circle, user)
    return user


def refused_sentence(call) -> tuple[int, str]:
    with pytest.raises(DMRefused) as info:
        call()
    return info.value.status, info.value.detail


# --- check-ins ---------------------------------------------------------------------
def test_a_moderator_checks_in_with_a_member_whatever_their_setting(
    circle, moderator, member
):
    sent = services.check_in_start(
        actor=moderator, circle=circle, member=member, body="How are you doing?"
    )
    conversation = sent.message.conversation
    assert conversation.kind == Conversation.Kind.CHECK_IN
    assert conversation.circle == circle
    assert (conversation.starter, conversation.recipient) == (moderator, member)
    assert sent.message.seq == 1
    assert "How are you doing?" in sent.message.body_html
    note = Notification.objects.get(recipient=member)
    assert note.url == f"/messages/{conversation.pk}/"
    assert "a moderator of Morning Light" in note.text
    assert "How are you" not in note.text  # the words stay in the conversation


def test_a_second_check_in_reuses_the_open_one(circle, moderator, host, member):
    first = services.check_in_start(
        actor=moderator, circle=circle, member=member, body="one"
    )
    again = services.check_in_start(
        actor=moderator, circle=circle, member=member, body="two"
    )
    assert again.message.conversation_id == first.message.conversation_id
    assert again.message.seq == 2
    assert Conversation.objects.count() == 1


def test_check_in_needs_a_moderator_of_that_circle(
    circle, member, bea, other_moderator, outsider
):
    with pytest.raises(PermissionDenied):
        services.check_in_start(actor=bea, circle=circle, member=member, body="hi")
    for stranger in (other_moderator, outsider):
        with pytest.raises((Http404, PermissionDenied)):
            services.check_in_start(
                actor=stranger, circle=circle, member=member, body="hi"
            )
    assert not Conversation.objects.exists()


def test_check_in_only_with_an_active_member_of_the_circle(
    circle, moderator, outsider, other_circle
):
    left = UserFactory()
    add_member(circle, left, state=Membership.State.LEFT)
    elsewhere = UserFactory()
    add_member(other_circle, elsewhere)
    for person in (outsider, left, elsewhere):
        status, _ = refused_sentence(
            lambda p=person: services.check_in_start(
                actor=moderator, circle=circle, member=p, body="hi"
            )
        )
        assert status == 404
    assert not Conversation.objects.exists()


def test_staff_may_check_in_in_any_circle(circle, staff, member):
    sent = services.check_in_start(
        actor=staff, circle=circle, member=member, body="Staff here, checking in."
    )
    assert sent.created
    note = Notification.objects.get(recipient=member)
    assert "one of the site's staff" in note.text and "moderator" not in note.text


# --- messages between members ---------------------------------------------------------
def test_a_member_writes_to_one_who_allows_it(allow, circle, member, bea):
    allow(bea)
    sent = services.message_start(sender=member, recipient_id=bea.pk, body="Hello")
    assert sent.message.conversation.kind == Conversation.Kind.MESSAGE
    assert Notification.objects.filter(recipient=bea, kind="message").count() == 1
    again = services.message_start(sender=member, recipient_id=bea.pk, body="Again")
    assert again.message.conversation_id == sent.message.conversation_id


def refusal_causes(circle, member, bea, allow):
    """Each cause of a refusal, applied on its own to a fresh pair."""

    def setting_off():
        pass

    def ignored_by_recipient():
        allow(bea)
        Ignore.objects.create(user=bea, ignored=member)

    def sender_ignores():
        allow(bea)
        Ignore.objects.create(user=member, ignored=bea)

    def banned_elsewhere():
        allow(bea)
        other = CircleFactory()
        add_member(other, bea)
        add_member(other, member, state=Membership.State.BANNED)

    def recipient_closed_the_last():
        allow(bea)
        sent = services.message_start(sender=member, recipient_id=bea.pk, body="hi")
        services.conversation_close(actor=bea, conversation=sent.message.conversation)

    return [
        setting_off,
        ignored_by_recipient,
        sender_ignores,
        banned_elsewhere,
        recipient_closed_the_last,
    ]


@pytest.mark.parametrize("cause", range(5))
def test_every_refusal_reads_the_same_and_stores_nothing(
    allow, circle, member, bea, cause
):
    refusal_causes(circle, member, bea, allow)[cause]()
    before = (Conversation.objects.count(), DirectMessage.objects.count())
    notes = Notification.objects.filter(recipient=bea).count()
    status, sentence = refused_sentence(
        lambda: services.message_start(
            sender=member, recipient_id=bea.pk, body="Can we talk?"
        )
    )
    assert (status, sentence) == (403, rules.REFUSED)
    assert (Conversation.objects.count(), DirectMessage.objects.count()) == before
    assert Notification.objects.filter(recipient=bea).count() == notes


def test_no_shared_circle_or_unknown_id_is_a_404(allow, member, outsider):
    allow(outsider)
    for recipient_id in (outsider.pk, 987654, member.pk):
        status, _ = refused_sentence(
            lambda r=recipient_id: services.message_start(
                sender=member, recipient_id=r, body="hi"
            )
        )
        assert status == 404
    assert not Conversation.objects.exists()


def test_the_recipient_may_start_again_after_closing(allow, circle, member, bea):
    allow(bea)
    allow(member)
    sent = services.message_start(sender=member, recipient_id=bea.pk, body="hi")
    services.conversation_close(actor=bea, conversation=sent.message.conversation)
    fresh = services.message_start(sender=bea, recipient_id=member.pk, body="Me again")
    assert fresh.message.conversation_id != sent.message.conversation_id
    services.dm_send(author=member, conversation=fresh.message.conversation, body="ok")


# --- sending ------------------------------------------------------------------------
@pytest.fixture
def talk(allow, circle, member, bea):
    allow(bea)
    return services.message_start(
        sender=member, recipient_id=bea.pk, body="first"
    ).message.conversation


def test_seq_is_gapless_and_a_resend_is_stored_once(talk, member, bea):
    a = services.dm_send(author=bea, conversation=talk, body="two", client_id="c1")
    b = services.dm_send(author=bea, conversation=talk, body="two", client_id="c1")
    c = services.dm_send(author=member, conversation=talk, body="three")
    assert (a.created, b.created) == (True, False)
    assert b.message.pk == a.message.pk
    assert [m.seq for m in DirectMessage.objects.filter(conversation=talk)] == [1, 2, 3]
    talk.refresh_from_db()
    assert talk.last_message_id == c.message.pk
    assert talk.starter_read_id == c.message.pk  # my own message is not unread to me


@pytest.mark.parametrize(
    "body,code",
    [("", "invalid"), ("   ", "invalid"), ("x" * 4001, "too_long"), (None, "invalid")],
)
def test_body_is_one_to_four_thousand_characters(talk, bea, body, code):
    with pytest.raises(DMRefused) as info:
        services.dm_send(author=bea, conversation=talk, body=body)
    assert info.value.code == code
    services.dm_send(author=bea, conversation=talk, body="y" * 4000)


def test_markup_is_sanitised_at_write(talk, bea):
    sent = services.dm_send(
        author=bea, conversation=talk, body="<script>alert(1)</script> **hi**"
    )
    assert "<script" not in sent.message.body_html
    assert "<strong>hi</strong>" in sent.message.body_html


def test_sending_is_rate_limited(talk, bea, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "DM": Rate(3, 60.0)}
    for n in range(3):
        services.dm_send(author=bea, conversation=talk, body=f"m{n}")
    with pytest.raises(DMRefused) as info:
        services.dm_send(author=bea, conversation=talk, body="one more")
    assert info.value.code == "rate_limited"
    assert "still here" in info.value.detail
    assert DirectMessage.objects.filter(author=bea).count() == 3


def test_a_closed_conversation_refuses_in_words(talk, member, bea):
    services.conversation_close(actor=member, conversation=talk)
    for person in (member, bea):
        with pytest.raises(DMRefused) as info:
            services.dm_send(author=person, conversation=talk, body="still there?")
        assert (info.value.code, info.value.status) == ("closed", 403)
        assert "closed" in info.value.detail and "nothing was sent" in info.value.detail
    assert DirectMessage.objects.count() == 1
    talk.refresh_from_db()
    assert talk.closed_by == member and talk.closed_at is not None
    assert Notification.objects.filter(recipient=bea, text__contains="closed").exists()


def stop_by_ignore(circle, member, bea):
    Ignore.objects.create(user=bea, ignored=member)


def stop_by_ban(circle, member, bea):
    Membership.objects.filter(circle=circle, user=member).update(
        state=Membership.State.BANNED
    )


def stop_by_leaving(circle, member, bea):
    Membership.objects.filter(circle=circle, user=member).update(
        state=Membership.State.LEFT
    )


@pytest.mark.parametrize("stop", [stop_by_ignore, stop_by_ban, stop_by_leaving])
def test_member_messages_stop_at_once(talk, circle, member, bea, stop):
    stop(circle, member, bea)
    for author in (member, bea):
        with pytest.raises(DMRefused) as info:
            services.dm_send(author=author, conversation=talk, body="hello?")
        assert info.value.detail == rules.REFUSED
    assert DirectMessage.objects.count() == 1


def test_a_check_in_continues_whatever_the_message_setting(circle, moderator, member):
    talk = services.check_in_start(
        actor=moderator, circle=circle, member=member, body="Checking in."
    ).message.conversation
    services.dm_send(author=member, conversation=talk, body="Thanks, I'm OK.")
    services.dm_send(author=moderator, conversation=talk, body="Glad to hear.")
    assert talk.messages.count() == 3


# Check-ins end with the role or the membership; ignore and ban end them at once.
def demote(circle, moderator, member):
    add_member(circle, moderator, role=Membership.Role.MEMBER)


def moderator_leaves(circle, moderator, member):
    add_member(circle, moderator, state=Membership.State.LEFT)


def member_leaves(circle, moderator, member):
    add_member(circle, member, state=Membership.State.LEFT)


def member_banned(circle, moderator, member):
    add_member(circle, member, state=Membership.State.BANNED)


def member_ignores(circle, moderator, member):
    Ignore.objects.create(user=member, ignored=moderator)


def moderator_ignores(circle, moderator, member):
    Ignore.objects.create(user=moderator, ignored=member)


@pytest.mark.parametrize(
    "stop",
    [
        demote,
        moderator_leaves,
        member_leaves,
        member_banned,
        member_ignores,
        moderator_ignores,
    ],
)
def test_a_check_in_ends_with_the_role_the_membership_or_a_block(
    circle, moderator, member, stop
):
    talk = services.check_in_start(
        actor=moderator, circle=circle, member=member, body="Checking in."
    ).message.conversation
    stop(circle, moderator, member)
    for author in (moderator, member):
        status, detail = refused_sentence(
            lambda a=author: services.dm_send(
                author=a, conversation=talk, body="still there?"
            )
        )
        assert (status, detail) == (403, rules.REFUSED)
    assert talk.messages.count() == 1
    # both can still read it, and close it
    from community.conversations import selectors

    for person in (moderator, member):
        assert selectors.conversation_for(user=person, conversation_id=talk.pk) == talk
    services.conversation_close(actor=member, conversation=talk)
    talk.refresh_from_db()
    assert not talk.is_open


def test_a_check_in_refused_after_an_ignore_reads_like_any_refusal(
    circle, moderator, member
):
    Ignore.objects.create(user=member, ignored=moderator)
    status, detail = refused_sentence(
        lambda: services.check_in_start(
            actor=moderator, circle=circle, member=member, body="Checking in."
        )
    )
    assert (status, detail) == (403, rules.REFUSED)
    assert not Conversation.objects.exists()
    assert not Notification.objects.filter(recipient=member).exists()


def test_outsiders_cannot_send_close_or_report(talk, outsider, moderator, staff):
    message = talk.messages.get()
    for person in (outsider, moderator, staff):
        for call in (
            lambda p=person: services.dm_send(author=p, conversation=talk, body="x"),
            lambda p=person: services.conversation_close(actor=p, conversation=talk),
            lambda p=person: services.dm_report(
                reporter=p, message_id=message.pk, reason="spam"
            ),
        ):
            status, _ = refused_sentence(call)
            assert status == 404
    talk.refresh_from_db()
    assert talk.is_open and talk.messages.count() == 1
    assert not DirectMessageReport.objects.exists()


def test_a_deactivated_author_sends_nothing(talk, bea):
    bea.is_active = False
    bea.save()
    status, _ = refused_sentence(
        lambda: services.dm_send(author=bea, conversation=talk, body="x")
    )
    assert status == 404


# --- reports and crisis ---------------------------------------------------------------
def test_only_the_recipient_reports_once_to_staff(talk, member, bea, staff):
    message = talk.messages.get()
    with pytest.raises(DMRefused):
        services.dm_report(reporter=member, message_id=message.pk, reason="spam")
    with pytest.raises(ValidationError):
        services.dm_report(reporter=bea, message_id=message.pk, reason="crisis")
    report = services.dm_report(
        reporter=bea, message_id=message.pk, reason="harassment", note="again"
    )
    assert (
        services.dm_report(reporter=bea, message_id=message.pk, reason="spam") == report
    )
    assert Notification.objects.filter(recipient=staff, kind="safety").count() == 1
    assert "first" not in Notification.objects.get(recipient=staff).text
    services.dm_report_resolve(actor=staff, report_id=report.pk)
    report.refresh_from_db()
    assert report.resolved_by == staff
    with pytest.raises(DMRefused):
        services.dm_report_resolve(actor=bea, report_id=report.pk)


def test_crisis_words_are_delivered_and_alert_staff(
    talk, bea, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = services.dm_send(author=bea, conversation=talk, body=CRISIS)
    assert sent.created and sent.crisis_level == "danger"
    assert sent.message.body == CRISIS  # delivered as written
    alert = DirectMessageReport.objects.get(message=sent.message)
    assert alert.reporter is None and alert.level == "danger"
    note = Notification.objects.get(recipient=staff, kind="safety")
    assert note.url == "/moderation/"  # the staff case; the row links to the words
    assert CRISIS not in note.text
    assert len(callbacks) >= 3  # the message to both, the card to the author


def test_crisis_words_in_a_refused_write_still_show_the_card_and_alert(
    talk, member, bea, staff
):
    services.conversation_close(actor=member, conversation=talk)
    with pytest.raises(DMRefused) as info:
        services.dm_send(author=bea, conversation=talk, body=CRISIS)
    assert info.value.crisis_level == "danger"
    note = Notification.objects.get(recipient=staff, kind="safety")
    assert "nothing was sent" in note.text and CRISIS not in note.text
    assert not DirectMessageReport.objects.exists()  # nothing stored to read


def test_reports_tell_staff_once_per_half_hour(allow, circle, member, bea, staff):
    from django.core.cache import cache

    cache.clear()
    allow(member)
    allow(bea)
    talk = services.message_start(
        sender=member, recipient_id=bea.pk, body="hello there"
    ).message.conversation
    second = services.dm_send(
        author=member, conversation=talk, body="see you soon"
    ).message
    services.dm_report(reporter=bea, message_id=talk.messages.first().pk, reason="spam")
    services.dm_report(reporter=bea, message_id=second.pk, reason="harassment")
    assert DirectMessageReport.objects.filter(reporter=bea).count() == 2
    notices = Notification.objects.filter(
        recipient=staff, kind="safety", text__startswith="A private message was"
    )
    assert notices.count() == 1


def test_a_private_message_is_read_after_its_writers_recent_lines(
    allow, no_dm_limit, circle, member, host, monkeypatch
):
    """As in a circle's chat (moderation/screening/crisis.py): a line calm alone is
    heard with the writer's own previous lines in the conversation, never with the
    other person's."""
    from moderation.screening import detector  # noqa: PLC0415

    from ...moderation.screening.scripted_detector import Scripted  # noqa: PLC0415

    monkeypatch.setattr(
        detector, "_DEFAULT", Scripted(context_mode="any", context_floor=0.2)
    )
    allow(member)
    talk = services.message_start(
        sender=host, recipient_id=member.pk, body="is the button near you?"
    ).message.conversation
    assert (
        services.dm_send(
            author=member, conversation=talk, body="ok pressing"
        ).crisis_level
        == ""
    )
    services.dm_send(author=member, conversation=talk, body="it is the button")
    sent = services.dm_send(author=member, conversation=talk, body="ok pressing now")
    assert sent.crisis_level == "danger"
