"""Private messages: a staff case per person under the same rules, check-ins that
join the member's circle case, and a conversation page that tells the truth."""

import pytest
from django.utils import timezone

from community.accounts.models import User
from community.conversations import rules, services
from community.conversations.errors import DMRefused
from community.notifications.models import Notification
from community.outbox.models import OutboundEmail
from moderation.models import SafetyCase, SafetyItem

from ...factories import UserFactory, add_member

pytestmark = pytest.mark.django_db

DANGER = "I want to kill myself tonight"
CONCERN = "I don't want to be here anymore"
HAS_SETTING = any(f.name == "allow_messages" for f in User._meta.get_fields())


@pytest.fixture
def bea(circle, monkeypatch):
    user = UserFactory(display_name="Bea Member")
    add_member(circle, user)
    if HAS_SETTING:
        User.objects.filter(pk=user.pk).update(allow_messages="circle_members")
        user.refresh_from_db()
    else:
        monkeypatch.setattr(rules, "allows_messages", lambda u: u.pk == user.pk)
    return user


@pytest.fixture
def talk(member, bea):
    return services.message_start(
        sender=member, recipient_id=bea.pk, body="first words"
    ).message.conversation


def verified(*people):
    for user in people:
        user.email = f"{user.username}@example.org"
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "email_verified_at"])


def test_30_refused_private_messages_are_one_staff_case_and_one_email(
    talk, member, bea, staff
):
    verified(staff)
    services.conversation_close(actor=member, conversation=talk)
    for n in range(30):
        with pytest.raises(DMRefused):
            services.dm_send(
                author=bea, conversation=talk, body=DANGER, client_id=f"c{n}"
            )
    case = SafetyCase.objects.get()
    assert case.circle is None and case.person == bea and case.level == "danger"
    assert Notification.objects.filter(recipient=staff, kind="safety").count() == 1
    assert OutboundEmail.objects.filter(to_address=staff.email).count() == 1


def test_crisis_words_between_members_form_a_staff_case_shown_without_words(
    client, talk, bea, staff
):
    sent = services.dm_send(author=bea, conversation=talk, body=DANGER)
    item = SafetyItem.objects.get(kind="dm")
    assert item.case.circle is None and item.mark == f"dm:{sent.message.pk}"
    client.force_login(staff)
    html = client.get("/moderation/").content.decode()
    assert f'data-safety-case="{bea.pk}"' in html
    assert f'data-safety-item="dm:{sent.message.pk}"' in html
    assert DANGER not in html
    assert client.post(f"/moderation/dm/{sent.message.pk}/pick-up/").status_code == 302
    assert SafetyCase.objects.get().picked_up_by == staff


def test_a_staff_case_is_staffs_alone(client, talk, bea, moderator):
    sent = services.dm_send(author=bea, conversation=talk, body=DANGER)
    client.force_login(moderator)
    assert client.post(f"/moderation/dm/{sent.message.pk}/pick-up/").status_code == 404


def test_a_moderators_own_words_in_a_check_in_alert_nobody_short_of_danger(
    circle, moderator, member, staff
):
    services.check_in_start(actor=moderator, circle=circle, member=member, body="hi")
    conversation = services.check_in_start(
        actor=moderator, circle=circle, member=member, body=CONCERN
    ).message.conversation
    assert not SafetyCase.objects.exists()
    assert not Notification.objects.filter(kind="safety").exists()
    services.dm_send(author=moderator, conversation=conversation, body=DANGER)
    case = SafetyCase.objects.get()
    assert case.person == moderator and case.circle == circle
    told = {n.recipient_id for n in Notification.objects.filter(kind="safety")}
    assert moderator.pk not in told and told  # the host, not the moderator


def test_a_members_words_in_a_check_in_join_her_case_and_a_rise_tells_staff_once(
    client, circle, moderator, member, staff, host
):
    conversation = services.check_in_start(
        actor=moderator, circle=circle, member=member, body="How are you?"
    ).message.conversation
    services.dm_send(author=member, conversation=conversation, body=CONCERN)
    case = SafetyCase.objects.get()
    assert case.person == member and case.circle == circle and case.level == "concern"
    assert not Notification.objects.filter(recipient=staff).exists()
    item = SafetyItem.objects.get(kind="dm")
    client.force_login(moderator)
    client.post(f"/moderation/dm/{item.object_id}/pick-up/")
    services.dm_send(author=member, conversation=conversation, body=DANGER)
    services.dm_send(author=member, conversation=conversation, body=DANGER + " now")
    staff_notes = Notification.objects.filter(recipient=staff, kind="safety")
    assert staff_notes.count() == 1
    assert DANGER not in staff_notes.get().text
    # the holder's check-in messages keep the pick-up fresh
    SafetyCase.objects.update(holder_active_at=None)
    services.dm_send(author=moderator, conversation=conversation, body="I'm here.")
    assert SafetyCase.objects.get().holder_active_at is not None


def test_the_conversation_page_says_when_staff_may_read(client, talk, member):
    client.force_login(member)
    html = client.get(talk.get_absolute_url()).content.decode()
    assert "Only the two of you can read this" not in html
    assert (
        "the site's staff may read that message and up to three messages either "
        "side of it" in html.replace("&#x27;", "'")
    )
