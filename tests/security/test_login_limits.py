"""Log-in limits (issue 14, items 16 and 17): an attacker is slowed, per address and
per account-and-address, with a growing wait; the owner, elsewhere, still gets in;
the admin's log-in goes through the same limits."""

import pytest
import time_machine

from community.ratelimit import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def log_in(client, username, password, address, next_url=None):
    data = {"username": username, "password": password}
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data, REMOTE_ADDR=address)


def test_the_owner_logs_in_from_elsewhere_while_an_attacker_is_slowed(
    client, member, password
):
    with time_machine.travel(1_800_000_000.0, tick=False) as clock:
        answers = [
            log_in(client, member.username, f"guess-{n}", ATTACKER).status_code
            for n in range(12)
        ]
        assert answers == [400] * 5 + [429] * 7
        refused = log_in(client, member.username, password, ATTACKER)
        assert refused.status_code == 429  # even the right password waits
        assert "_auth_user_id" not in client.session
        assert refused["Retry-After"] == "61"
        assert "Please try again in 1 minute." in refused.content.decode()

        owner = log_in(client.__class__(), member.username, password, OWNER)
        assert owner.status_code == 302

        # The wait grows: one more wrong guess after a minute means two minutes.
        clock.shift(61)
        assert log_in(client, member.username, "guess", ATTACKER).status_code == 400
        clock.shift(61)
        slowed = log_in(client, member.username, "guess", ATTACKER)
        assert slowed.status_code == 429
        assert "Please try again in 59 seconds." in slowed.content.decode()
        clock.shift(60)
        assert log_in(client, member.username, "guess", ATTACKER).status_code == 400
        clock.shift(121)
        assert log_in(client, member.username, "guess", ATTACKER).status_code == 429


def test_an_address_guessing_many_accounts_is_slowed(client, password):
    people = [UserFactory() for _ in range(8)]
    answers = [
        log_in(client, people[n % 8].username, "guess", ATTACKER).status_code
        for n in range(32)
    ]
    assert answers.count(429) == 2 and answers[-2:] == [429, 429]
    assert log_in(client, people[0].username, password, ATTACKER).status_code == 429
    assert log_in(client, people[0].username, password, OWNER).status_code == 302


def test_a_success_forgets_the_earlier_mistakes(client, member, password):
    for _ in range(3):
        for _ in range(4):
            assert log_in(client, member.username, "oops", OWNER).status_code == 400
        assert log_in(client, member.username, password, OWNER).status_code == 302
        client.logout()


def test_the_admin_log_in_page_sends_people_to_the_site_log_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    asked = client.get("/admin/login/?next=/admin/accounts/user/")
    assert asked["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    for unsafe in ("https://evil.example/admin/", "//evil.example/admin/", "/circles/"):
        response = client.get("/admin/login/", {"next": unsafe})
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_forty_wrong_admin_passwords_are_refused_then_the_right_one_too(
    client, staff, password
):
    for n in range(40):
        direct = client.post(
            "/admin/login/?next=/admin/",
            {"username": staff.username, "password": f"guess-{n}"},
            REMOTE_ADDR=ATTACKER,
        )
        assert direct.status_code == 302 and "_auth_user_id" not in client.session
    direct = client.post(
        "/admin/login/?next=/admin/",
        {"username": staff.username, "password": password},
        REMOTE_ADDR=ATTACKER,
    )
    assert direct["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session  # the admin form logs nobody in

    answers = [
        log_in(client, staff.username, f"guess-{n}", ATTACKER, "/admin/").status_code
        for n in range(40)
    ]
    assert answers[:5] == [400] * 5 and set(answers[5:]) == {429}
    assert (
        log_in(client, staff.username, password, ATTACKER, "/admin/").status_code == 429
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302

    owner = client.__class__()
    arrived = log_in(owner, staff.username, password, OWNER, "/admin/")
    assert arrived.status_code == 302 and arrived["Location"] == "/admin/"
    assert owner.get("/admin/").status_code == 200


def test_an_ipv6_attacker_cannot_step_around_the_limit_inside_their_block(
    client, member, password
):
    answers = [
        log_in(client, member.username, "guess", f"2001:db8:1:2::{n:x}").status_code
        for n in range(8)
    ]
    assert answers == [400] * 5 + [429] * 3
    assert (
        log_in(client, member.username, password, "2001:db8:1:3::1").status_code == 302
    )


@pytest.mark.parametrize(
    "remote, counted",
    [
        ("203.0.113.9", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("", "unknown"),
        ("not an address", "not an address"),
    ],
)
def test_addresses_as_limits_count_them(rf, remote, counted):
    assert client_address(rf.get("/", REMOTE_ADDR=remote)) == counted
