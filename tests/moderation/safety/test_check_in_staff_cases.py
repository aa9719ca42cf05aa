"""Check-ins and staff cases: a member's refused words in a check-in join her circle
case; a moderator's own words short of danger open nothing and show no card; staff
cases offer pick-up, a check-in and done from the same row as circle cases; and
closing a staff case resolves the private-message alerts it holds."""

from html import unescape

import pytest
from django.test import Client

from community.accounts.models import User
from community.conversations import rules, services
from community.conversations.errors import DMRefused
from community.conversations.models import Conversation, DirectMessageReport
from community.notifications.models import Notification
from moderation.models import Ignore, SafetyCase, SafetyItem

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


@pytest.fixture
def check_in(circle, moderator, member):
    return services.check_in_start(
        actor=moderator, circle=circle, member=member, body="How are you?"
    ).message.conversation


def staff_case_of(bea, talk):
    """Bea's staff case, opened by her words to another member."""
    sent = services.dm_send(author=bea, conversation=talk, body=DANGER)
    return SafetyCase.objects.get(circle=None, person=bea), sent.message


# --- 1. a check-in's refused words join the member's circle case --------------------
def test_a_members_refused_words_in_a_check_in_join_her_circle_case(
    circle, check_in, moderator, member, host, staff
):
    services.conversation_close(actor=moderator, conversation=check_in)
    with pytest.raises(DMRefused) as refused:
        services.dm_send(author=member, conversation=check_in, body=DANGER)
    case = SafetyCase.objects.get()
    assert case.circle == circle and case.person == member
    assert case.level == "danger"
    item = SafetyItem.objects.get(case=case)
    assert item.source == "refused" and item.circle == circle
    assert not SafetyCase.objects.filter(circle=None).exists()
    told = set(
        Notification.objects.filter(kind="safety").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {host.pk, moderator.pk}  # the circle's keepers, not staff
    said = refused.value.crisis_said
    assert said.startswith("Your message was not sent, and no one else can read it.")
    assert f"The hosts and moderators of {circle.name} know" in said
    assert "site's staff" not in said


def test_a_refused_check_in_page_card_says_who_knows(
    client, circle, check_in, moderator, member
):
    services.conversation_close(actor=moderator, conversation=check_in)
    client.force_login(member)
    page = client.post(f"/messages/{check_in.pk}/send/", {"body": DANGER})
    html = unescape(page.content.decode())
    assert page.status_code == 403
    assert 'id="crisis-resources"' in html
    assert f"The hosts and moderators of {circle.name} know" in html
    assert "The site's staff have been told" not in html
    assert DANGER in html  # the text is kept for her


def test_a_moderators_refused_words_open_nothing_short_of_danger(
    circle, moderator, member, staff
):
    Ignore.objects.create(
        user=member, ignored=moderator
    )  # the check-in no longer holds
    with pytest.raises(DMRefused) as refused:
        services.check_in_start(
            actor=moderator, circle=circle, member=member, body=CONCERN
        )
    assert refused.value.crisis_level == ""  # no card: words about someone else
    assert not SafetyCase.objects.exists()
    assert not Notification.objects.filter(kind="safety").exists()
    with pytest.raises(DMRefused):
        services.check_in_start(
            actor=moderator, circle=circle, member=member, body=DANGER
        )
    case = SafetyCase.objects.get()  # danger about themself: a case they never see
    assert case.person == moderator and case.circle == circle


def test_a_moderators_own_concern_words_show_no_untrue_card(
    client, check_in, moderator
):
    client.force_login(moderator)
    page = client.post(f"/messages/{check_in.pk}/send/", {"body": CONCERN}, follow=True)
    html = unescape(page.content.decode())
    assert not SafetyCase.objects.exists()
    assert "have been told quietly" not in html
    assert 'id="crisis-resources"' not in html


# --- 2. staff cases: pick-up, check-in, done -----------------------------------------
def test_a_staff_row_offers_pick_up_check_in_and_done_never_care(
    client, talk, bea, staff
):
    case, message = staff_case_of(bea, talk)
    client.force_login(staff)
    html = unescape(client.get("/moderation/").content.decode())
    row = html.split(f'data-safety-case="{bea.pk}"', 1)[1].split("</section>", 1)[0]
    assert f'action="/moderation/dm/{message.pk}/pick-up/"' in row
    assert f'action="/moderation/dm/{message.pk}/safety-done/"' in row
    assert f'action="/moderation/messages/check-in/{bea.pk}/"' in row
    assert "/care/" not in row
    assert "There is no care here: no other member reads a private message." in row
    # escalation of a staff case goes to staff alone, and the row says so
    assert "every host and moderator and to site staff" not in html
    for never in ("/remove/", "/warn/", "/mute/", "/ban/"):
        assert never not in row


def test_staff_check_in_with_the_person_of_a_staff_case(client, talk, bea, staff):
    case, _ = staff_case_of(bea, talk)
    client.force_login(staff)
    client.post(f"/moderation/dm/{case.items.get().object_id}/pick-up/")
    SafetyCase.objects.update(holder_active_at=None)
    response = client.post(
        f"/moderation/messages/check-in/{bea.pk}/", {"body": "Hi Bea, how are you?"}
    )
    conversation = Conversation.objects.get(kind="check_in")
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url()
    assert conversation.starter == staff and conversation.recipient == bea
    assert conversation.circle is None
    note = Notification.objects.filter(recipient=bea, kind="message").latest("id")
    assert note.url == conversation.get_absolute_url()
    assert note.text == (
        f"{staff.display_name}, one of the site's staff, wrote to you privately to "
        "check in."
    )
    assert SafetyCase.objects.get().holder_active_at is not None  # kept fresh
    page = unescape(client.get(conversation.get_absolute_url()).content.decode())
    assert "one of the site's staff" in page
    assert "the circle's hosts and moderators" not in page


def test_words_in_a_staff_check_in_join_the_staff_case(client, talk, bea, staff):
    case, _ = staff_case_of(bea, talk)
    conversation = services.staff_check_in_start(
        actor=staff, member=bea, body="Hi Bea, how are you?"
    ).message.conversation
    # the staff member's own words short of danger open nothing
    services.dm_send(author=staff, conversation=conversation, body=CONCERN)
    assert not SafetyCase.objects.filter(person=staff).exists()
    sent = services.dm_send(author=bea, conversation=conversation, body=DANGER)
    assert SafetyCase.objects.count() == 1  # her one staff case, no circle case
    assert SafetyItem.objects.filter(
        case=case, kind="dm", object_id=sent.message.pk
    ).exists()
    assert "The site's staff know that you may need support" in sent.crisis_said
    # refused words in the staff check-in join the same case
    services.conversation_close(actor=staff, conversation=conversation)
    with pytest.raises(DMRefused) as refused:
        services.dm_send(author=bea, conversation=conversation, body=DANGER)
    assert SafetyCase.objects.count() == 1
    assert SafetyItem.objects.filter(case=case, source="refused").exists()
    assert "The site's staff know" in refused.value.crisis_said


def test_a_staff_check_in_is_for_staff_and_an_open_staff_case_only(
    client, circle, talk, bea, member, moderator, staff
):
    client.force_login(moderator)
    url = f"/moderation/messages/check-in/{bea.pk}/"
    staff_case_of(bea, talk)
    assert client.post(url, {"body": "hi"}).status_code == 404
    client.force_login(staff)  # no staff case for Mira: 404 like a missing person
    assert (
        client.post(
            f"/moderation/messages/check-in/{member.pk}/", {"body": "hi"}
        ).status_code
        == 404
    )
    assert not Conversation.objects.filter(kind="check_in").exists()
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(staff)
    assert csrf.post(url, {"body": "hi"}).status_code == 403


# --- 3. closing a staff case resolves its private-message alerts ----------------------
def test_closing_a_staff_case_resolves_its_alerts_and_the_queue_stops_showing_them(
    client, talk, bea, member, staff
):
    case, message = staff_case_of(bea, talk)
    alert = DirectMessageReport.objects.get(message=message, reason="crisis")
    other = services.dm_report(reporter=member, message_id=message.pk, reason="spam")
    client.force_login(staff)
    queue = client.get("/moderation/messages/").content.decode()
    assert f'data-dm-report="{alert.pk}"' in queue
    done = client.post(f"/moderation/dm/{message.pk}/safety-done/")
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolved_by == staff
    other.refresh_from_db()
    assert other.resolved_at is None  # a report for another reason stays
    queue = client.get("/moderation/messages/").content.decode()
    assert f'data-dm-report="{alert.pk}"' not in queue
    assert f'data-dm-report="{other.pk}"' in queue
    desk = client.get("/moderation/").content.decode()
    assert f'data-safety-case="{bea.pk}"' not in desk


def test_closing_a_circle_case_resolves_the_staff_alert_of_its_check_in(
    client, circle, check_in, moderator, member, staff
):
    services.dm_send(author=member, conversation=check_in, body=CONCERN)
    item = SafetyItem.objects.get(kind="dm")
    client.force_login(moderator)
    client.post(f"/moderation/dm/{item.object_id}/pick-up/")
    sent = services.dm_send(author=member, conversation=check_in, body=DANGER)
    alert = DirectMessageReport.objects.get(message=sent.message)
    client.post(f"/moderation/dm/{item.object_id}/safety-done/")
    alert.refresh_from_db()
    assert alert.resolved_at is not None
