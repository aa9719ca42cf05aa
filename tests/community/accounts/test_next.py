"""Sign-up and log-in return to the page the person was reading (issue 15, item 11)."""

import pytest

pytestmark = pytest.mark.django_db

NEW = {
    "username": "newcomer",
    "display_name": "New Comer",
    "password1": "a-long-test-password-1",
    "password2": "a-long-test-password-1",
}


def test_the_header_links_carry_the_page_being_read(client, circle):
    html = client.get(f"/circles/{circle.slug}/?message=3").content.decode()
    back = "next=/circles/morning-light/%3Fmessage%3D3"
    assert f'href="/accounts/login/?{back}"' in html
    assert f'href="/accounts/signup/?{back}"' in html


def test_the_account_pages_do_not_point_back_at_themselves(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/login/"' in html and "next=%2Faccounts" not in html


def test_sign_up_returns_to_the_circle(client, circle):
    page = client.get("/accounts/signup/", {"next": "/circles/morning-light/"})
    html = page.content.decode()
    assert 'name="next" value="/circles/morning-light/"' in html
    assert 'href="/accounts/login/?next=/circles/morning-light/"' in html
    response = client.post(
        "/accounts/signup/", {**NEW, "next": "/circles/morning-light/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/circles/morning-light/"


def test_a_failed_sign_up_keeps_the_way_back(client, circle):
    response = client.post(
        "/accounts/signup/",
        {**NEW, "password2": "different", "next": "/circles/morning-light/"},
    )
    assert response.status_code == 400
    assert 'name="next" value="/circles/morning-light/"' in response.content.decode()


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "http://testserver/circles/",
        "circles/",
    ],
)
def test_sign_up_never_leaves_the_site(client, unsafe):
    response = client.post("/accounts/signup/", {**NEW, "next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == "/circles/"


def test_log_in_returns_to_the_circle_and_offers_sign_up_with_it(
    client, member, password, circle
):
    page = client.get("/accounts/login/", {"next": "/circles/morning-light/"})
    assert (
        'href="/accounts/signup/?next=/circles/morning-light/"' in page.content.decode()
    )
    response = client.post(
        "/accounts/login/?next=/circles/morning-light/",
        {"username": member.username, "password": password},
    )
    assert response["Location"] == "/circles/morning-light/"
