"""Safety settings: the country of the support lines, discreet email (forced on by
an open `unsafe` item), and "Leave quickly" first on every page."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from circles.threads import services as thread_services
from community.notifications.services import notification_send
from moderation.models import SafetyItem
from moderation.safety.services import safety_case_join

from .test_control_settings import settings_post

pytestmark = pytest.mark.django_db(transaction=True)


def verified(user, address):
    user.email = address
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])


def test_country_and_discreet_email_are_saved(client, member):
    client.force_login(member)
    html = client.get("/accounts/settings/").content.decode()
    assert 'name="crisis_country"' in html and 'name="discreet_email"' in html
    assert 'value="off" id="id_discreet_email_0" checked' in html
    response = client.post(
        "/accounts/settings/",
        settings_post(crisis_country="IE", discreet_email="on"),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.crisis_country == "IE" and member.discreet_email is True
    bad = client.post("/accounts/settings/", settings_post(crisis_country="ZZ"))
    assert bad.status_code == 400


def test_discreet_email_names_no_circle_person_or_words(member, host, circle):
    verified(member, "mira@example.org")
    member.discreet_email = True
    member.save(update_fields=["discreet_email"])
    thread = thread_services.thread_create(
        author=member, circle=circle, title="My sister's visit", body="Long story"
    ).thread
    thread_services.post_reply(author=host, thread=thread, body="Here for you")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    everything = sent.subject + sent.body + str(sent.message())
    for word in ("Hazel", "Host", circle.name, "sister", "Here for you", "Circles:"):
        assert word not in sent.subject + sent.body, word
    assert sent.subject == "Something new for you"
    assert sent.message()["From"].startswith("Notifications <")
    # only a link, and one that names no circle
    assert re.fullmatch(
        r"Open this link:\nhttps?://\S+/notifications/\d+/open/\n", sent.body
    )
    assert "Hazel" not in everything


def test_an_open_unsafe_item_forces_discreet_email_even_for_a_reset(
    client, member, circle
):
    verified(member, "mira@example.org")
    safety_case_join(
        circle=circle,
        person=member,
        kind=SafetyItem.Kind.NOT_OK,
        object_id=None,
        level="unsafe",
        source=SafetyItem.Source.WORDS,
    )
    notification_send(
        recipient=member, kind="reply", text="Hazel replied in Morning Light", url="/"
    )
    client.post("/accounts/password-reset/", {"email": "mira@example.org"})
    assert len(mail.outbox) == 2
    reply, reset = mail.outbox
    assert "Hazel" not in reply.body + reply.subject
    assert reset.subject == "The link you asked for"
    assert re.search(r"https?://[^/\s]+/accounts/reset/\S+", reset.body)
    assert "Circles" not in reset.body and "Mira" not in reset.body
    client.force_login(member)
    assert 'id="discreet-forced"' in client.get("/accounts/settings/").content.decode()


def test_a_private_message_email_never_carries_its_text(member, host, circle):
    from community.conversations import services as dm_services

    verified(member, "mira@example.org")
    member.notify = {"message": "instant"}
    member.save(update_fields=["notify"])
    dm_services.check_in_start(
        actor=host, circle=circle, member=member, body="the secret words here"
    )
    assert mail.outbox
    assert all("secret words" not in m.body + m.subject for m in mail.outbox)


def test_leave_quickly_is_the_first_focusable_element_of_every_page(
    client, member, settings
):
    for path in ("/", "/privacy/", "/accounts/login/"):
        html = client.get(path).content.decode()
        body = html[html.index("<body") :]
        first = re.search(r"<(a|button|input|textarea|select|summary)\b[^>]*>", body)
        assert 'id="quick-exit"' in first.group(0)
        assert 'href="https://www.bbc.co.uk/weather"' in first.group(0)
        assert body.index('id="quick-exit"') < body.index('class="skip-link"')
        assert "stay logged in" in body and "history" in body
    settings.QUICK_EXIT_URL = "https://example.org/news"
    client.force_login(member)
    assert 'href="https://example.org/news"' in client.get("/").content.decode()
