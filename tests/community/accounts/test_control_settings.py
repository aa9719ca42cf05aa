"""Settings, email verification, log out everywhere and password reset."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from community import realtime
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"http://127\.0\.0\.1:8000(/\S+)")


def settings_post(**changes):
    data = {
        "display_name": "Mira Member",
        "email": "",
        "allow_messages": "none",
        "time_zone": "Europe/London",
        "quiet_hours": "",
        "notify_reply": "instant",
        "notify_mention": "off",
        "notify_message": "off",
        "notify_membership": "off",
        "notify_safety": "off",
    }
    data.update(changes)
    return data


def test_settings_page_shows_every_field_and_defaults_are_gentle(client, member):
    client.force_login(member)
    html = client.get("/accounts/settings/").content.decode()
    for name in (
        "display_name",
        "email",
        "allow_messages",
        "time_zone",
        "quiet_hours",
        "notify_reply",
        "notify_membership",
    ):
        assert f'name="{name}"' in html
    assert 'id="safety-email"' in html
    assert (
        'name="notify_reply" value="instant" required id="id_notify_reply_1" checked'
        in html
    )
    assert (
        'name="notify_mention" value="off" required id="id_notify_mention_0" checked'
        in html
    )
    assert member.allow_messages == "none"


def test_saving_settings_changes_them(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/settings/",
        settings_post(
            display_name="Mira Renamed",
            allow_messages="circle_members",
            notify_mention="digest",
            quiet_hours="22:00-07:30",
        ),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Mira Renamed"
    assert member.allow_messages == "circle_members"
    assert member.notify["mention"] == "digest"
    assert member.quiet_hours == "22:00-07:30"
    assert member.time_zone == "Europe/London"


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("display_name", "Hazel Host", "taken"),
        ("quiet_hours", "late", "HH:MM-HH:MM"),
        ("time_zone", "Mars/Olympus", "time zone"),
        ("email", "not-an-address", "valid email"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_error(
    client, member, host, field, value, words
):
    client.force_login(member)
    response = client.post("/accounts/settings/", settings_post(**{field: value}))
    assert response.status_code == 400
    assert words in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Mira Member"


def test_a_new_address_gets_only_a_verification_link_until_verified(client, member):
    client.force_login(member)
    client.post(
        "/accounts/settings/",
        settings_post(email="mira@example.org", current_password=PASSWORD),
    )
    member.refresh_from_db()
    assert member.email == "mira@example.org" and member.email_verified_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mira@example.org"]
    link = LINK.search(message.body).group(1)
    assert link.startswith("/accounts/verify/")
    assert client.get(link).status_code == 200
    member.refresh_from_db()
    assert member.email_verified_at is not None
    # The address is never shown to anyone else.
    other = Client()
    other.force_login(UserFactory(display_name="Other"))
    assert b"mira@example.org" not in other.get("/accounts/settings/").content


def test_a_verification_link_for_an_old_address_does_nothing(client, member):
    client.force_login(member)
    client.post(
        "/accounts/settings/",
        settings_post(email="old@example.org", current_password=PASSWORD),
    )
    old_link = LINK.search(mail.outbox[0].body).group(1)
    client.post(
        "/accounts/settings/",
        settings_post(email="new@example.org", current_password=PASSWORD),
    )
    assert client.get(old_link).status_code == 404
    member.refresh_from_db()
    assert member.email_verified_at is None
    assert client.get("/accounts/verify/garbage/").status_code == 404


def test_logout_everywhere_ends_every_session_and_tells_the_sockets(
    member, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "community.realtime._send",
        lambda group, event: sent.append((group, event)) or True,
    )
    phone, laptop = Client(), Client()
    for c in (phone, laptop):
        assert c.login(username=member.username, password=PASSWORD)
    assert laptop.get("/accounts/settings/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post("/accounts/logout-everywhere/")
    assert response.status_code == 302
    for c in (phone, laptop):
        assert c.get("/accounts/settings/").status_code == 302  # to log in
    assert (realtime.user_group(member.pk), {"type": "session.ended"}) in sent
    # A new log-in works.
    assert Client().login(username=member.username, password=PASSWORD)


def verified(user, address):
    user.email = address
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])


def test_password_reset_sends_a_link_only_to_a_verified_address(client, member, host):
    verified(member, "mira@example.org")
    host.email = "hazel@example.org"  # not verified
    host.save(update_fields=["email"])
    answers = []
    for address in ("mira@example.org", "hazel@example.org", "nobody@example.org"):
        response = client.post("/accounts/password-reset/", {"email": address})
        answers.append((response.status_code, response.url))
    assert len(set(answers)) == 1  # the same answer whatever the address
    assert [m.to for m in mail.outbox] == [["mira@example.org"]]
    link = re.search(
        r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[0].body
    ).group(1)
    form = client.get(link, follow=True)
    assert b"Choose a new password" in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a-brand-new-passphrase-9",
            "new_password2": "a-brand-new-passphrase-9",
        },
    )
    assert done.status_code == 302 and done.url == "/accounts/reset/done/"
    member.refresh_from_db()
    assert member.check_password("a-brand-new-passphrase-9")
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_is_rate_limited(client):
    codes = [
        client.post(
            "/accounts/password-reset/", {"email": f"x{i}@example.org"}
        ).status_code
        for i in range(7)
    ]
    assert codes[:5] == [302] * 5 and codes[-1] == 429


def test_changing_the_password_ends_other_sessions_and_sockets(
    member, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "community.realtime._send",
        lambda group, event: sent.append((group, event)) or True,
    )
    here, elsewhere = Client(), Client()
    for c in (here, elsewhere):
        assert c.login(username=member.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            "/accounts/password/",
            {
                "old_password": PASSWORD,
                "new_password1": "another-long-passphrase-7",
                "new_password2": "another-long-passphrase-7",
            },
        )
    assert response.status_code == 302
    assert here.get("/accounts/settings/").status_code == 200  # this one stays
    assert elsewhere.get("/accounts/settings/").status_code == 302
    assert (realtime.user_group(member.pk), {"type": "session.ended"}) in sent
