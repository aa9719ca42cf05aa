import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_wrong_password_says_so_and_keeps_the_username(client, member):
    response = client.post(
        "/accounts/login/", {"username": member.username, "password": "nope"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "errorlist" in html and f'value="{member.username}"' in html


def test_login_attempts_are_limited_per_account(client, member, password):
    for _ in range(10):
        client.post(
            "/accounts/login/", {"username": member.username, "password": "wrong"}
        )
    response = client.post(
        "/accounts/login/", {"username": member.username, "password": password}
    )
    assert response.status_code == 429
    assert "Too many log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_works(client, member, password):
    response = client.post(
        "/accounts/login/", {"username": member.username, "password": password}
    )
    assert response.status_code == 302


def test_signups_are_limited_per_address(client):
    for n in range(5):
        client.post(
            "/accounts/signup/",
            {
                "username": f"u{n}",
                "display_name": f"Name {n}",
                "password1": "a-long-test-password-1",
                "password2": "a-long-test-password-1",
            },
        )
        client.logout()
    response = client.post(
        "/accounts/signup/",
        {
            "username": "u9",
            "display_name": "Name 9",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many new accounts" in html and 'value="u9"' in html


@pytest.mark.parametrize("name", ["<script>x</script>", "a", "x" * 33, "bad\x01name"])
def test_bad_display_names_are_refused(client, name):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "someone",
            "display_name": name,
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_log_in_still_works_when_the_rate_limit_cache_is_down(
    client, member, monkeypatch
):
    """Redis down must not lock everyone out: limits fail open and say so in the log."""
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", broken)
    response = client.post(
        "/accounts/login/", {"username": member.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/circles/").context["user"] == member
