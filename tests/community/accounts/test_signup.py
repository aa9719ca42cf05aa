"""What sign-up and log-in tell a stranger about which accounts exist (issue 14,
item 18): a username in use is said to be unavailable in the same words as any
unusable one, probing is limited per address, and log-in never tells."""

import re

import pytest

from community.accounts.forms import USERNAME_UNAVAILABLE

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-1"


def sign_up(client, username, display_name="Someone New"):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "display_name": display_name,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_a_username_in_use_is_unavailable_in_neutral_words(client, member):
    for probe in (member.username, member.username.upper()):
        response = sign_up(client, probe)
        assert response.status_code == 400
        assert response.context["form"].errors["username"] == [USERNAME_UNAVAILABLE]
        assert "exists" not in response.content.decode()


def test_probing_usernames_is_limited_per_address_counting_refusals(client, member):
    for n in range(5):
        assert sign_up(client, member.username, f"Probe {n}").status_code == 400
    response = sign_up(client, "free-name")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3601
    html = response.content.decode()
    assert "Too many new accounts were asked for from your network." in html
    assert USERNAME_UNAVAILABLE not in html
    other = client.__class__(REMOTE_ADDR="198.51.100.20")
    assert sign_up(other, "free-name").status_code == 302


def test_log_in_answers_the_same_for_a_wrong_password_and_no_such_account(
    client, member
):
    def body(username):
        response = client.post(
            "/accounts/login/",
            {"username": username, "password": "wrong"},
            REMOTE_ADDR="192.0.2.1",
        )
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        return response.status_code, html.replace(username, "NAME")

    assert body(member.username) == body("nobody-by-this-name")


def test_a_taken_username_is_told_only_once_the_rest_is_right(
    client, member, monkeypatch
):
    from django.contrib.auth import hashers

    hashed = []
    real = hashers.make_password
    monkeypatch.setattr(
        "community.accounts.forms.make_password",
        lambda *a, **k: hashed.append(1) or real(*a, **k),
    )
    for mistake in (
        {"password2": "not-the-same-password-2"},
        {"display_name": ""},
    ):
        data = {
            "username": member.username,
            "display_name": "Someone New",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **mistake,
        }
        response = client.post("/accounts/signup/", data)
        assert response.status_code == 400
        assert "username" not in response.context["form"].errors
        assert USERNAME_UNAVAILABLE not in response.content.decode()
    assert not hashed
    response = sign_up(client, member.username)
    assert response.context["form"].errors["username"] == [USERNAME_UNAVAILABLE]
    assert hashed == [1]  # the same hash a new account would cost
