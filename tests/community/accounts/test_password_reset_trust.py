"""Password reset: the link comes from SITE_URL whatever Host the request named, and
the request only hands the address to the worker, so a known and an unknown address
are answered by the same work."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


def confirmed(user, address):
    user.email = address
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])


def test_the_reset_link_comes_from_site_url_not_the_host(
    client, member, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://circles.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    confirmed(member, "mira@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password-reset/",
            {"email": "mira@example.org"},
            HTTP_HOST="evil.example.net",
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "evil.example.net" not in message.body
    assert re.search(r"https://circles\.example\.org/accounts/reset/\S+", message.body)


def test_known_and_unknown_addresses_do_the_same_work_in_the_request(
    client, member, django_capture_on_commit_callbacks
):
    confirmed(member, "mira@example.org")
    seen = []
    for address in ("mira@example.org", "nobody@example.org"):
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                response = client.post("/accounts/password-reset/", {"email": address})
        seen.append(
            (
                response.status_code,
                response["Location"],
                len(queries),
                len(callbacks),
                any("accounts_user" in q["sql"] for q in queries.captured_queries),
            )
        )
    assert seen[0] == seen[1]
    assert seen[0][4] is False  # the address is looked up in the worker only
    assert not mail.outbox
