"""Changing the email address: the current password is asked for, the confirmed
address is told and stays (password reset included) until the new one is confirmed,
and confirmation emails are limited per person and per address."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

from .test_control_settings import LINK, settings_post

pytestmark = pytest.mark.django_db(transaction=True)


def confirmed(user, address):
    user.email = address
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])


def test_changing_the_address_asks_for_the_current_password(client, member):
    confirmed(member, "mira@example.org")
    client.force_login(member)
    for password in ("", "not-it"):
        response = client.post(
            "/accounts/settings/",
            settings_post(
                email="thief@example.org",
                display_name="Mira Renamed",
                current_password=password,
            ),
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Enter your current password to change your email address." in page
        assert 'value="Mira Renamed"' in page  # the text is kept
    member.refresh_from_db()
    assert (member.email, member.email_pending) == ("mira@example.org", "")
    assert member.display_name == "Mira Member"
    assert not mail.outbox
    # other settings save without it
    ok = client.post(
        "/accounts/settings/",
        settings_post(email="mira@example.org", display_name="Mira Renamed"),
    )
    assert ok.status_code == 302


def test_the_old_address_is_told_and_keeps_password_reset_until_confirmed(
    client, member
):
    confirmed(member, "mira@example.org")
    client.force_login(member)
    client.post(
        "/accounts/settings/",
        settings_post(email="new@example.org", current_password=PASSWORD),
    )
    member.refresh_from_db()
    assert member.email == "mira@example.org"
    assert member.email_pending == "new@example.org"
    assert member.email_verified_at is not None
    told = [m for m in mail.outbox if m.to == ["mira@example.org"]]
    assert len(told) == 1
    assert "change the email address" in told[0].body
    assert "/accounts/verify/" not in told[0].body
    link_mail = [m for m in mail.outbox if m.to == ["new@example.org"]]
    assert len(link_mail) == 1
    page = client.get("/accounts/settings/").content.decode()
    assert 'value="new@example.org"' in page and 'id="email-pending"' in page
    # a save of other settings keeps the pending change
    client.post("/accounts/settings/", settings_post(email="new@example.org"))
    member.refresh_from_db()
    assert member.email_pending == "new@example.org"
    # password reset still reaches the confirmed address
    mail.outbox.clear()
    Client().post("/accounts/password-reset/", {"email": "mira@example.org"})
    assert [m.to for m in mail.outbox] == [["mira@example.org"]]
    # the link makes the new address the account's
    link = LINK.search(link_mail[0].body).group(1)
    assert client.get(link).status_code == 200
    member.refresh_from_db()
    assert (member.email, member.email_pending) == ("new@example.org", "")
    assert member.email_verified_at is not None


def test_verification_emails_are_limited_per_person(client, member):
    client.force_login(member)
    codes = []
    for n in range(6):
        address = ("a@example.org", "b@example.org")[n % 2]
        response = client.post(
            "/accounts/settings/",
            settings_post(email=address, current_password=PASSWORD),
        )
        codes.append(response.status_code)
    links = [m for m in mail.outbox if "/accounts/verify/" in m.body]
    assert len(links) <= 3  # the same link within a second is stored once
    # the fifth asks for the address already there: nothing to send, nothing refused
    assert codes == [302, 302, 302, 400, 302, 400]
    resend = client.post("/accounts/settings/verify-again/", follow=True)
    assert [m for m in mail.outbox if "/accounts/verify/" in m.body] == links
    assert re.search(r"[Tt]ry again", resend.content.decode())


def test_verification_emails_are_limited_per_address(member):
    people = [member] + [UserFactory(display_name=f"Pat {n}") for n in range(4)]
    for person in people:
        client = Client()
        client.force_login(person)
        client.post(
            "/accounts/settings/",
            settings_post(
                email="target@example.org",
                display_name=person.display_name,
                current_password=PASSWORD,
            ),
        )
    assert len([m for m in mail.outbox if m.to == ["target@example.org"]]) == 3
