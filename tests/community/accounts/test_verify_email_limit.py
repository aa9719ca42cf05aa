"""Confirmation links are limited per person and per address (issue 25, item 4:
twenty saves alternating two addresses sent twenty emails)."""

import pytest

from community.outbox.models import OutboundEmail
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def save(client, member, email):
    return client.post(
        "/accounts/settings/",
        {
            "display_name": member.display_name,
            "email": email,
            "current_password": PASSWORD,  # changing the address asks for it
            "allow_messages": "circle_members",
            "time_zone": "UTC",
            "quiet_hours": "",
            **{
                f"notify_{kind}": "off"
                for kind in ("reply", "mention", "message", "membership", "safety")
            },
        },
    )


def test_alternating_two_addresses_sends_three_links_at_most(client, member):
    client.force_login(member)
    answers = [
        save(client, member, f"{'a' if n % 2 else 'b'}@example.org") for n in range(8)
    ]
    assert OutboundEmail.objects.filter(purpose="verify").count() <= 3
    refused = answers[-1]
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "We sent several confirmation links recently." in html
    assert "a@example.org" in html or "b@example.org" in html  # the text is kept


def test_an_address_is_limited_whoever_asks(client, member, host, settings):
    for person in (member, host, member, host):
        client.force_login(person)
        save(client, person, "someone@example.org")
        save(client, person, f"{person.username}@example.org")
    to_someone = OutboundEmail.objects.filter(to_address="someone@example.org")
    assert to_someone.count() <= 3
