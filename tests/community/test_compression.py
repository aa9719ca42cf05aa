"""Issue 28: pages leave the app compressed when the browser asks for it (the app run
alone, without the proxy), with Django's BREACH mitigation: a random-length field in
every gzip header, and the CSRF token masked anew in every response."""

import gzip
import re

import pytest
from django.conf import settings

from circles.threads import services as thread_services

from ..factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_thread(circle, host):
    thread = thread_services.thread_create(
        author=host, circle=circle, title="A long one", body="Where it began."
    ).thread
    for n in range(40):
        PostFactory(
            thread=thread,
            author=host,
            body=f"Reply {n}: thank you for sharing.",
            body_html=f"<p>Reply {n}: thank you for sharing.</p>",
        )
    return thread


def test_the_gzip_middleware_runs_before_the_views_after_static_files():
    chain = settings.MIDDLEWARE
    gzip_at = chain.index("django.middleware.gzip.GZipMiddleware")
    assert chain.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip_at
    assert gzip_at < chain.index("django.contrib.sessions.middleware.SessionMiddleware")


def test_a_big_page_is_compressed_when_asked_and_not_otherwise(
    client, member, big_thread
):
    client.force_login(member)
    url = big_thread.get_absolute_url()
    plain = client.get(url)
    assert plain.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in plain["Vary"]
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content)
    html = gzip.decompress(packed.content).decode()
    assert "Reply 39: thank you for sharing." in html
    assert len(packed.content) * 4 < len(html.encode())
    identity = client.get(url, HTTP_ACCEPT_ENCODING="identity")
    assert not identity.has_header("Content-Encoding")


def test_compressed_pages_vary_in_length_and_carry_a_fresh_csrf_token(
    client, member, big_thread
):
    client.force_login(member)
    url = big_thread.get_absolute_url()
    bodies = [client.get(url, HTTP_ACCEPT_ENCODING="gzip").content for _ in range(8)]
    # Django's "Heal the Breach": a file name of 0 to 99 random bytes in the header.
    assert all(body[3] & gzip.FNAME for body in bodies)
    assert len({len(body) for body in bodies}) > 1
    tokens = {
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', gzip.decompress(b))[1]
        for b in bodies
    }
    assert len(tokens) == len(bodies)  # masked anew in every response
